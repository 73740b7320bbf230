/**
 * The database the clients use, created once on the bootstrap node (Galera
 * replicates the DDL and the user to every node). One table per workload:
 *
 * - lists(k, v): list-append; v is the list as comma-separated integers,
 *   appended with CONCAT (insert-or-append with ON DUPLICATE KEY UPDATE).
 * - registers(k, v): rw-register.
 * - accounts(id, balance): bank; the bank client seeds it.
 */
export const DATABASE = 'faultline';
export const USER = 'faultline';
/** Not a secret: the account only exists inside the test cluster and only reaches its scratch database. */
export const PASSWORD = 'faultline';

export const SCHEMA_SQL = [
  `CREATE DATABASE IF NOT EXISTS ${DATABASE}`,
  `CREATE USER IF NOT EXISTS '${USER}'@'%' IDENTIFIED BY '${PASSWORD}'`,
  `GRANT ALL ON ${DATABASE}.* TO '${USER}'@'%'`,
  `CREATE TABLE IF NOT EXISTS ${DATABASE}.lists (k INT PRIMARY KEY, v TEXT NOT NULL) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS ${DATABASE}.registers (k INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS ${DATABASE}.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL) ENGINE=InnoDB`,
].join(';\n');

/** How many tables SCHEMA_SQL makes (a joiner waits until the bootstrap node has them all). */
export const TABLE_COUNT = 3;
