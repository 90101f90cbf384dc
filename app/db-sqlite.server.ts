// SQLite through libSQL, done properly for a server: one connection, WAL, a busy timeout.
//
// @libsql/client hands its connection to each transaction and opens a new one for the next
// query, leaving the old handle open until garbage collection: every webhook receipt (an
// implicit transaction) added a handle, and a burst left hundreds, with a rollback journal
// behind them and every query failing with P1008. Prisma's libSQL adapter already runs one
// statement or transaction at a time per client (a mutex held from BEGIN to COMMIT), so the
// transactions can share the one connection: BEGIN, the statements and COMMIT go through it.
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import type { Client, Config, InStatement, Transaction, TransactionMode } from "@libsql/client";

/** Pragmas for a server: readers never wait for the writer (WAL), writers wait their turn. */
export const SQLITE_PRAGMAS = ["PRAGMA journal_mode = WAL", "PRAGMA busy_timeout = 10000", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"];

const BEGIN: Record<TransactionMode, string> = { write: "BEGIN IMMEDIATE", read: "BEGIN", deferred: "BEGIN DEFERRED" };

function sharedConnectionTransaction(client: Client, mode: TransactionMode): Promise<Transaction> {
  let open = true;
  const end = async (sql: "COMMIT" | "ROLLBACK") => {
    if (!open) return;
    open = false;
    await client.execute(sql);
  };
  return client.execute(BEGIN[mode]).then(() => ({
    execute: (stmt: InStatement) => client.execute(stmt),
    batch: async (stmts: InStatement[]) => {
      const results = [];
      for (const stmt of stmts) results.push(await client.execute(stmt));
      return results;
    },
    executeMultiple: (sql: string) => client.executeMultiple(sql),
    commit: () => end("COMMIT"),
    rollback: () => end("ROLLBACK").catch(() => undefined),
    close: () => void end("ROLLBACK").catch(() => undefined),
    get closed() {
      return !open;
    },
  }) as Transaction);
}

/** The libSQL adapter factory with one shared connection per client, configured by SQLITE_PRAGMAS. */
export class SqliteAdapter extends PrismaLibSQL {
  override createClient(config: Config): Client {
    const client = super.createClient(config);
    const execute = client.execute.bind(client);
    const ready = (async () => {
      for (const pragma of SQLITE_PRAGMAS) await execute(pragma);
    })();
    // The pragmas run before anything else on this connection.
    client.execute = (async (...args: Parameters<Client["execute"]>) => {
      await ready;
      return execute(...args);
    }) as Client["execute"];
    client.transaction = (mode: TransactionMode = "write") => sharedConnectionTransaction(client, mode);
    return client;
  }
}
