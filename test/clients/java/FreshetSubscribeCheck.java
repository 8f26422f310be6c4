// Consumes a Freshet SUBSCRIBE through a pgJDBC cursor: prints the snapshot, then the changes
// another connection's UPDATE causes, one line per row ("progress" for progress rows).
import java.sql.*;

public class FreshetSubscribeCheck {
  public static void main(String[] args) throws Exception {
    try (Connection reader = DriverManager.getConnection(args[0], args[1], "");
         Connection writer = DriverManager.getConnection(args[0], args[1], "")) {
      try (Statement s = writer.createStatement()) {
        s.execute("CREATE TABLE j_items (id int PRIMARY KEY, qty int)");
        s.execute("INSERT INTO j_items VALUES (1, 5), (2, 7)");
        s.execute("CREATE MATERIALIZED VIEW j_total AS SELECT sum(qty) AS total FROM j_items");
      }
      reader.setAutoCommit(false);
      try (Statement s = reader.createStatement()) {
        s.execute("DECLARE sub CURSOR FOR SUBSCRIBE j_total");
        print(s.executeQuery("FETCH ALL sub WITH (timeout = '0s')"));
        try (Statement w = writer.createStatement()) {
          w.execute("UPDATE j_items SET qty = 10 WHERE id = 1");
        }
        int progress = 0;
        while (progress < 1) progress += print(s.executeQuery("FETCH ALL sub WITH (timeout = '5s')"));
        ResultSetMetaData md = s.executeQuery("FETCH 0 sub").getMetaData();
        StringBuilder cols = new StringBuilder("columns");
        for (int i = 1; i <= md.getColumnCount(); i++) cols.append(' ').append(md.getColumnName(i)).append(':').append(md.getColumnTypeName(i));
        System.out.println(cols);
        s.execute("CLOSE sub");
      }
      reader.commit();
    }
  }

  /** Prints the rows; returns how many were progress rows. */
  static int print(ResultSet rs) throws SQLException {
    int progress = 0;
    while (rs.next()) {
      if (rs.getBoolean("progress")) {
        System.out.println("progress");
        progress++;
      } else {
        System.out.println(rs.getString("op") + " " + rs.getLong("total"));
      }
    }
    return progress;
  }
}
