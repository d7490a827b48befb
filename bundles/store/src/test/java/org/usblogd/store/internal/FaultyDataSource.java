package org.usblogd.store.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A real database with faults injected between the store and the driver: the n-th statement execution or
 * the n-th commit throws once, as a full disk, a lost server or a lock timeout would. Everything else is
 * passed through to the real connection.
 */
final class FaultyDataSource implements DataSource {
    private static final Set<String> EXECUTIONS = Set.of("execute", "executeUpdate", "executeQuery", "executeBatch",
            "executeLargeUpdate", "executeLargeBatch");

    private final DataSource real;
    private final AtomicInteger executions = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();
    private volatile int failExecution;
    private volatile int failCommit;
    private final AtomicInteger injected = new AtomicInteger();
    private volatile boolean down;

    FaultyDataSource(DataSource real) {
        this.real = real;
    }

    /** The n-th statement execution from now (1-based) throws; 0: none. */
    FaultyDataSource failExecution(int n) {
        executions.set(0);
        failExecution = n;
        return this;
    }

    /** The n-th commit from now (1-based) throws; 0: none. */
    FaultyDataSource failCommit(int n) {
        commits.set(0);
        failCommit = n;
        return this;
    }

    /** While down, every new connection and every statement fails, as with a lost server or a full disk. */
    FaultyDataSource down(boolean down) {
        this.down = down;
        return this;
    }

    int executions() {
        return executions.get();
    }

    int injected() {
        return injected.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down) {
            throw new SQLException("injected: the database is down");
        }
        return wrap(real.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(real.getConnection(username, password));
    }

    private Connection wrap(Connection c) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
                new Handler(c, true));
    }

    private final class Handler implements InvocationHandler {
        private final Object target;
        private final boolean connection;

        Handler(Object target, boolean connection) {
            this.target = target;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            if (down && (m.getName().equals("commit") || EXECUTIONS.contains(m.getName()))) {
                throw new SQLException("injected: the database is down");
            }
            if (connection && m.getName().equals("commit") && failCommit > 0
                    && commits.incrementAndGet() == failCommit) {
                injected.incrementAndGet();
                throw new SQLException("injected: commit failed");
            }
            if (!connection && EXECUTIONS.contains(m.getName()) && failExecution > 0
                    && executions.incrementAndGet() == failExecution) {
                injected.incrementAndGet();
                throw new SQLException("injected: statement failed");
            } else if (!connection && EXECUTIONS.contains(m.getName()) && failExecution == 0) {
                executions.incrementAndGet();
            }
            Object result;
            try {
                result = m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Statement s && connection) {
                Class<?> type = m.getReturnType();
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type },
                        new Handler(s, false));
            }
            return result;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return real.isWrapperFor(iface);
    }
}
