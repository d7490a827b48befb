package org.usblogd.outputs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS sockets that trust the CAs of one PEM file (a broker's own CA, as most home brokers have), or the CAs Java
 * trusts when no file is given. Read at each connect: a renewed CA file is taken without a restart.
 */
final class TrustedCa {
    private TrustedCa() {
    }

    static SSLSocketFactory socketFactory(String caFile) throws IOException, GeneralSecurityException {
        if (caFile.isEmpty()) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        int n = 0;
        try (InputStream in = Files.newInputStream(Path.of(caFile))) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca" + n++, c);
            }
        }
        if (n == 0) {
            throw new GeneralSecurityException(caFile + " holds no PEM certificate");
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls.getSocketFactory();
    }
}
