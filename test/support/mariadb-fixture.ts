import crypto from 'node:crypto';
import mysql from 'mysql2/promise';

/** The MariaDB (or MySQL) server the database-source tests read: TEST_MYSQL_* or the local one (root, no password). */
export const mariadbServer = {
  host: process.env.TEST_MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.TEST_MYSQL_PORT ?? 3306),
  user: process.env.TEST_MYSQL_USER ?? 'root',
  password: process.env.TEST_MYSQL_PASSWORD ?? '',
};

let reachable: Promise<boolean> | undefined;

/**
 * Whether the MariaDB server is there. Without it the MySQL/MariaDB tests are skipped with a notice; under
 * CI=true it is required, so a missing server fails the run instead of hiding the tests.
 */
export async function mariadbAvailable(): Promise<boolean> {
  reachable ??= mysql
    .createConnection({ ...mariadbServer, connectTimeout: 3000 })
    .then(async (connection) => {
      await connection.end();
      return true;
    })
    .catch(() => false);
  if (await reachable) return true;
  const where = `${mariadbServer.host}:${mariadbServer.port}`;
  if (process.env.CI === 'true') throw new Error(`MariaDB is required under CI=true but ${where} is not reachable`);
  console.warn(`NOTICE: MariaDB at ${where} is not reachable; the MySQL/MariaDB source tests are skipped (set TEST_MYSQL_HOST).`);
  return false;
}

/** A database of its own for one test file, with what the tests put in it; `drop` removes it and its users. */
export interface MariaDbFixture {
  database: string;
  /** AEP's connection string for it, as root or as another user. */
  connectionString(options?: { user?: string; password?: string; host?: string; port?: number; extra?: string }): string;
  sql(statement: string, values?: unknown[]): Promise<unknown>;
  rows(statement: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A user with a password, granted exactly `grants` (e.g. `SELECT ON db.orders`), removed by `drop`. */
  createUser(grants: string[]): Promise<{ user: string; password: string }>;
  drop(): Promise<void>;
}

export async function createMariaDbFixture(prefix = 'mysqlsrc'): Promise<MariaDbFixture> {
  const database = `${prefix}_${crypto.randomBytes(5).toString('hex')}`;
  const admin = await mysql.createConnection({ ...mariadbServer, charset: 'UTF8MB4_UNICODE_CI', multipleStatements: false });
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.query(`USE \`${database}\``);
  const users: string[] = [];
  return {
    database,
    connectionString(options = {}) {
      const user = options.user ?? mariadbServer.user;
      const password = options.password ?? mariadbServer.password;
      return `Server=${options.host ?? mariadbServer.host};Port=${options.port ?? mariadbServer.port};Database=${database};UID=${user};PWD=${password}${options.extra ? `;${options.extra}` : ''}`;
    },
    async sql(statement, values) {
      const [result] = await admin.query(statement, values);
      return result;
    },
    async rows(statement, values) {
      const [result] = await admin.query(statement, values);
      return result as Record<string, unknown>[];
    },
    async createUser(grants) {
      const user = `${prefix}_${crypto.randomBytes(4).toString('hex')}`;
      const password = `pw-${crypto.randomBytes(8).toString('hex')}`;
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      users.push(user);
      for (const grant of grants) await admin.query(`GRANT ${grant} TO '${user}'@'%'`);
      return { user, password };
    },
    async drop() {
      for (const user of users) await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.end();
    },
  };
}

/**
 * A table with a column of every type the MySQL source maps, one row of typical values, one of edge values
 * (unicode beyond the BMP, quotes, commas, newlines, extremes) and one of NULLs.
 */
export async function createAllTypesTable(db: MariaDbFixture, table = 'all_types'): Promise<void> {
  await db.sql(`CREATE TABLE \`${table}\` (
    id INT PRIMARY KEY,
    tiny TINYINT, small SMALLINT UNSIGNED, medium MEDIUMINT, regular INT UNSIGNED, big BIGINT, ubig BIGINT UNSIGNED,
    amount DECIMAL(12,2), wide DECIMAL(38,10), huge DECIMAL(65,5), ratio FLOAT, measure DOUBLE,
    flag BOOLEAN, bit1 BIT(1), bits BIT(12),
    code CHAR(3), label VARCHAR(200), body TEXT, kind ENUM('card','bank','cash'), tags SET('new','vip','late'),
    day DATE, local_at DATETIME(6), stamped_at TIMESTAMP(3) NULL DEFAULT NULL, duration TIME, yr YEAR,
    doc JSON, raw BLOB, fixed BINARY(4), ident UUID
  ) ENGINE=InnoDB`);
  await db.sql(`INSERT INTO \`${table}\` VALUES
    (1, -5, 65535, -8388608, 4294967295, -9223372036854775808, 18446744073709551615,
     1234.56, 1234567890123456789012345678.0123456789, 123456789012345678901234567890.12345, 1.5, 2.718281828459045,
     TRUE, b'1', b'101010101010',
     'EUR', 'Café "déjà vu", ok', 'line one\nline two, with comma', 'bank', 'new,late',
     '2024-02-29', '2024-03-01 12:34:56.123456', '2024-03-01 10:00:00.250', '-838:59:59', 2024,
     '{"a": [1, 2], "b": {"c": "ü"}}', X'00FF10', X'DEADBEEF', '123e4567-e89b-12d3-a456-426614174000'),
    (2, 127, 0, 0, 0, 9223372036854775807, 0,
     -0.01, 0, 0, -3.25, -1e300,
     FALSE, b'0', b'0',
     '', '', '', 'cash', '',
     '1970-01-01', '1999-12-31 23:59:59', '2038-01-19 03:14:07.999', '00:00:01', 1901,
     '[]', X'', X'00000000', '00000000-0000-0000-0000-000000000000'),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, '𝄞 emoji 🎉 and 中文', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
}

/** `count` rows of (id, name, description, kind, updated_at), all stamped `stamp`, made by the server itself. */
export async function createWideTable(db: MariaDbFixture, table: string, count: number, stamp = '2024-01-01 00:00:00'): Promise<void> {
  await db.sql(`CREATE TABLE \`${table}\` (
    id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, description VARCHAR(80), kind VARCHAR(10), updated_at DATETIME(6) NOT NULL,
    KEY by_update (updated_at, id)
  ) ENGINE=InnoDB`);
  // Two copies of 0..999 crossed make up to a million numbers; a recursive CTE of 1,000 steps stays inside
  // MariaDB's and MySQL's default recursion limits.
  await db.sql(
    `INSERT INTO \`${table}\` (id, name, description, kind, updated_at)
     WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999)
     SELECT a.i * 1000 + b.i + 1, CONCAT('name ', a.i * 1000 + b.i + 1), CONCAT('row ', a.i * 1000 + b.i + 1, ' of the table'),
            ELT(1 + (a.i * 1000 + b.i) % 3, 'card', 'bank', 'cash'), ?
     FROM n a CROSS JOIN n b WHERE a.i * 1000 + b.i < ?`,
    [stamp, count],
  );
}
