package org.usblogd.http.internal;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Lets a request through only with the token of {@code conf/org.usblogd.http.cfg} (when one is set), before any
 * servlet of the daemon sees it; and answers the login ({@code POST /api/v1/login} with the token as form field
 * {@code token} or as bearer header), which sets a cookie for browsers. A missing or wrong token is a 401 with
 * a JSON message; without a token, a request for another host name than this machine's local ones is a 403.
 *
 * <p>Not a component of its own: {@link HttpServer} registers it and hands it each checked token, so that the
 * token is in no service's properties, where every bundle could read it.
 */
final class AccessFilter implements Filter {
    static final String LOGIN = "/api/v1/login";

    private final Json json = new Json();
    private volatile Access access;

    AccessFilter(Access access) {
        this.access = access;
    }

    void use(Access next) {
        access = next;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        Access a = access;
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (LOGIN.equals(path)) {
            login(a, request, response);
            return;
        }
        if (WebPage.isPageFile(path) || a.local(request.getLocalAddr(), request.getHeader("Host"))
                || a.bearer(request.getHeader("Authorization")) || a.cookie(cookie(request))) {
            chain.doFilter(req, res);
            return;
        }
        if (a.open()) {
            json.error(response, HttpServletResponse.SC_FORBIDDEN, "without a token this usblogd answers requests"
                    + " for localhost, 127.0.0.1 or [::1] only, not for '" + Access.hostName(String.valueOf(
                            request.getHeader("Host"))) + "': open it by one of those names, or set a token in"
                    + " conf/org.usblogd.http.cfg");
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer realm=\"usblogd\"");
        json.error(response, HttpServletResponse.SC_UNAUTHORIZED, request.getHeader("Authorization") == null
                && cookie(request) == null ? "this usblogd asks for its token: send 'Authorization: Bearer TOKEN'"
                        + " (the token of conf/org.usblogd.http.cfg), or log in at " + LOGIN
                        : "wrong token: send the token of conf/org.usblogd.http.cfg");
    }

    private void login(Access a, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            json.error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "log in with POST " + LOGIN
                    + " and the token as form field 'token'");
            return;
        }
        if (a.open()) {
            json.write(response, Map.of("login", "no token is set: every request is let in"));
            return;
        }
        if (!a.matches(request.getParameter("token")) && !a.bearer(request.getHeader("Authorization"))) {
            json.error(response, HttpServletResponse.SC_UNAUTHORIZED, "wrong token: give the token of"
                    + " conf/org.usblogd.http.cfg as form field 'token'");
            return;
        }
        Cookie c = new Cookie(Access.COOKIE, a.session());
        c.setHttpOnly(true);
        c.setPath("/");
        c.setAttribute("SameSite", "Strict");
        c.setSecure(request.isSecure());
        response.addCookie(c);
        json.write(response, Map.of("login", "logged in: the cookie " + Access.COOKIE + " lets this browser in until"
                + " the token changes"));
    }

    private static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (Access.COOKIE.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }

    @Override
    public void destroy() {
        // nothing held
    }
}
