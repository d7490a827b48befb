package org.usblogd.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's own database, opened by H2 from the URL the store uses. */
class StoreLocationTest {
    @TempDir
    Path state;

    @Test
    void eachConnectionKeepsMoreParsedStatementsThanTheDaemonRuns() throws Exception {
        StoreLocation location = new StoreLocation(state);
        try (Connection c = DriverManager.getConnection(location.embeddedUrl(), StoreLocation.USER, "secret");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                        + " WHERE SETTING_NAME IN ('QUERY_CACHE_SIZE', 'info.CACHE_MAX_SIZE')")) {
            java.util.Map<String, String> settings = new java.util.HashMap<>();
            while (rs.next()) {
                settings.put(rs.getString(1), rs.getString(2));
            }
            // some 35 distinct statements in a few minutes of the demo with the API in use
            assertThat(Integer.parseInt(settings.get("QUERY_CACHE_SIZE"))).isGreaterThanOrEqualTo(64);
            assertThat(settings.get("info.CACHE_MAX_SIZE")).as("the page cache, MB").isEqualTo("4");
        }
    }
}
