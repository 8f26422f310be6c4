/*
 * pgJDBC client check for Freshet: connects, creates a table with a primary key, inserts through
 * PreparedStatement (one by one and batched), reads rows, ResultSetMetaData and DatabaseMetaData, and
 * prints one line per observation. The same program runs against PostgreSQL; the test compares lines.
 * Usage: java -cp postgresql.jar:DIR FreshetJdbcCheck <jdbc-url> <user>
 */
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Properties;

public class FreshetJdbcCheck {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", args[1]);
    props.setProperty("connectTimeout", "10");
    props.setProperty("socketTimeout", "30");
    try (Connection conn = DriverManager.getConnection(args[0], props)) {
      DatabaseMetaData meta = conn.getMetaData();
      System.out.println("product " + meta.getDatabaseProductName() + " " + meta.getDatabaseMajorVersion());
      System.out.println("autocommit " + conn.getAutoCommit());

      try (Statement st = conn.createStatement()) {
        st.execute("CREATE TABLE jdbc_items (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2), "
            + "added timestamp, active boolean, qty bigint)");
        st.execute("CREATE TABLE jdbc_log (line text)");
      }
      System.out.println("created");

      String insertSql = "INSERT INTO jdbc_items (id, name, price, added, active, qty) VALUES (?, ?, ?, ?, ?, ?)";
      try (PreparedStatement ps = conn.prepareStatement(insertSql)) {
        // More executions than pgJDBC's prepareThreshold (5), so it switches to a named server statement.
        for (int i = 1; i <= 7; i++) {
          ps.setInt(1, i);
          ps.setString(2, "item " + i);
          ps.setBigDecimal(3, new BigDecimal("1.25").multiply(BigDecimal.valueOf(i)));
          ps.setTimestamp(4, Timestamp.valueOf("2024-01-0" + i + " 10:00:00.5"));
          ps.setBoolean(5, i % 2 == 0);
          ps.setLong(6, 10_000_000_000L * i);
          System.out.println("insert " + i + " count " + ps.executeUpdate());
        }
        ps.setInt(1, 8);
        ps.setString(2, "nulls");
        ps.setNull(3, java.sql.Types.NUMERIC);
        ps.setNull(4, java.sql.Types.TIMESTAMP);
        ps.setNull(5, java.sql.Types.BOOLEAN);
        ps.setNull(6, java.sql.Types.BIGINT);
        System.out.println("insert 8 count " + ps.executeUpdate());
      }

      try (PreparedStatement ps = conn.prepareStatement("INSERT INTO jdbc_log VALUES (?)")) {
        for (String s : new String[] {"a", "b", "c"}) {
          ps.setString(1, s);
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        System.out.println("batch " + counts.length + " " + java.util.Arrays.toString(counts));
      }

      try (PreparedStatement ps = conn.prepareStatement(insertSql)) {
        ps.setInt(1, 1);
        ps.setString(2, "duplicate");
        ps.setBigDecimal(3, BigDecimal.ONE);
        ps.setTimestamp(4, null);
        ps.setBoolean(5, true);
        ps.setLong(6, 1);
        ps.executeUpdate();
        System.out.println("duplicate accepted");
      } catch (SQLException e) {
        System.out.println("duplicate sqlstate " + e.getSQLState());
      }

      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        st.executeUpdate("INSERT INTO jdbc_log VALUES ('rolled back')");
        conn.rollback();
        st.executeUpdate("INSERT INTO jdbc_log VALUES ('committed')");
        conn.commit();
      }
      conn.setAutoCommit(true);
      try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT line FROM jdbc_log ORDER BY line")) {
        StringBuilder sb = new StringBuilder("log");
        while (rs.next()) sb.append(' ').append(rs.getString(1));
        System.out.println(sb);
      }

      try (PreparedStatement ps = conn.prepareStatement(
          "SELECT id, name, price, added, active, qty FROM jdbc_items WHERE id >= ? ORDER BY id")) {
        ps.setInt(1, 6);
        try (ResultSet rs = ps.executeQuery()) {
          ResultSetMetaData md = rs.getMetaData();
          for (int c = 1; c <= md.getColumnCount(); c++) {
            System.out.println("rsmeta " + c + " " + md.getColumnName(c) + " type=" + md.getColumnType(c)
                + " typename=" + md.getColumnTypeName(c) + " precision=" + md.getPrecision(c)
                + " scale=" + md.getScale(c) + " class=" + md.getColumnClassName(c));
          }
          while (rs.next()) {
            BigDecimal price = rs.getBigDecimal(3);
            Timestamp added = rs.getTimestamp(4);
            boolean active = rs.getBoolean(5);
            boolean activeNull = rs.wasNull();
            long qty = rs.getLong(6);
            boolean qtyNull = rs.wasNull();
            System.out.println("row " + rs.getInt(1) + " | " + rs.getString(2) + " | " + price + " | " + added
                + " | " + (activeNull ? "null" : String.valueOf(active)) + " | " + (qtyNull ? "null" : String.valueOf(qty)));
          }
        }
      }

      try (ResultSet rs = meta.getTables(null, "public", "jdbc_%", new String[] {"TABLE"})) {
        while (rs.next()) {
          System.out.println("table " + rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME") + " " + rs.getString("TABLE_TYPE"));
        }
      }
      try (ResultSet rs = meta.getColumns(null, "public", "jdbc_items", "%")) {
        while (rs.next()) {
          System.out.println("column " + rs.getInt("ORDINAL_POSITION") + " " + rs.getString("COLUMN_NAME")
              + " type=" + rs.getInt("DATA_TYPE") + " typename=" + rs.getString("TYPE_NAME")
              + " size=" + rs.getInt("COLUMN_SIZE") + " digits=" + rs.getInt("DECIMAL_DIGITS")
              + " nullable=" + rs.getInt("NULLABLE") + " is_nullable=" + rs.getString("IS_NULLABLE"));
        }
      }
      try (ResultSet rs = meta.getPrimaryKeys(null, "public", "jdbc_items")) {
        while (rs.next()) {
          System.out.println("pk " + rs.getString("TABLE_NAME") + " " + rs.getString("COLUMN_NAME") + " seq="
              + rs.getInt("KEY_SEQ") + " name=" + rs.getString("PK_NAME"));
        }
      }
      System.out.println("done");
    }
  }
}
