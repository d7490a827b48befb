package org.usblogd.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The web page: a handful of files from the bundle (its own, and uPlot's), served at the root. Only these
 * names are answered, and only these pass the access filter without a token: they hold no data, and the page
 * asks for the token (a login) when the API wants one.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
public class WebPage extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Name in the URL to content type; "/" is the page itself. */
    static final Map<String, String> FILES = Map.of(
            "/index.html", "text/html; charset=utf-8",
            "/app.js", "text/javascript; charset=utf-8",
            "/app.css", "text/css; charset=utf-8",
            "/uPlot.iife.min.js", "text/javascript; charset=utf-8",
            "/uPlot.min.css", "text/css; charset=utf-8");

    /** Where the bundle keeps uPlot's files: as its WebJar has them. */
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist";

    static boolean isPageFile(String path) {
        return path.equals("/") || FILES.containsKey(path);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String name = path.equals("/") ? "/index.html" : path;
        String type = FILES.get(name);
        InputStream in = type == null ? null
                : WebPage.class.getResourceAsStream((name.startsWith("/uPlot.") ? UPLOT : "/web") + name);
        if (in == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such page: the page is at /, the API at "
                    + ApiServlet.ROOT);
            return;
        }
        try (in) {
            response.setContentType(type);
            // a new daemon version brings a new page: browsers must not keep an old one
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Content-Type-Options", "nosniff");
            // the page runs its own two scripts and nothing else, reads only its own origin, and is framed by none
            // (uPlot sizes its elements through element.style, which a policy for style attributes allows)
            response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src"
                    + " 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
            in.transferTo(response.getOutputStream());
        }
    }
}
