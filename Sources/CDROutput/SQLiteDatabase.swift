import CSQLite
import Foundation

/// A SQLite error with its result code, message and the statement that failed (never the bound values,
/// which can be phone numbers).
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public let sql: String

    public var description: String { "SQLite error \(code): \(message)\(sql.isEmpty ? "" : " in \(sql.prefix(120))")" }
}

/// A thin wrapper over the system libsqlite3: open, execute, prepared statements, transactions.
public final class SQLiteDatabase {
    let handle: OpaquePointer
    public let path: String

    /// Opens (creating if needed) a database file, in WAL mode with `synchronous=NORMAL`.
    public init(path: String) throws {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close(db) }
            throw SQLiteError(code: rc, message: "\(path): \(msg)", sql: "")
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, 10_000)
        if path != ":memory:" { try execute("PRAGMA journal_mode=WAL") }
        try execute("PRAGMA synchronous=NORMAL")
        try execute("PRAGMA foreign_keys=ON")
    }

    deinit { sqlite3_close_v2(handle) }

    func error(_ rc: Int32, _ sql: String) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Executes one or more statements without results.
    public func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? "error"
            sqlite3_free(err)
            throw SQLiteError(code: rc, message: msg, sql: sql)
        }
    }

    /// Prepares a statement (kept prepared for bulk use).
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, sql) }
        return SQLiteStatement(stmt, db: self, sql: sql)
    }

    /// Runs `body` inside BEGIN IMMEDIATE … COMMIT; rolls back when it throws.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        try execute("BEGIN IMMEDIATE")
        do {
            let r = try body()
            try execute("COMMIT")
            return r
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// `PRAGMA user_version`.
    public var userVersion: Int {
        get throws {
            let s = try prepare("PRAGMA user_version")
            return try s.rows { $0.int(0) }.first ?? 0
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs a query and maps each row.
    public func query<T>(_ sql: String, _ bindings: [SQLiteValue] = [], _ map: (SQLiteRow) throws -> T) throws -> [T] {
        let s = try prepare(sql)
        try s.bind(bindings)
        return try s.rows(map)
    }
}

/// A value to bind.
public enum SQLiteValue: Sendable {
    case int(Int64)
    case double(Double)
    case text(String)
    case null
}

/// One row of a result, valid inside the mapping closure.
public struct SQLiteRow {
    let stmt: OpaquePointer

    public func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(stmt, i)) }
    public func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(stmt, i) }
    public func double(_ i: Int32) -> Double { sqlite3_column_double(stmt, i) }
    public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(stmt, i) == SQLITE_NULL }
    public func text(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(stmt, i) else { return "" }
        return String(cString: p)
    }
    public func optionalDouble(_ i: Int32) -> Double? { isNull(i) ? nil : double(i) }
    public func optionalInt(_ i: Int32) -> Int? { isNull(i) ? nil : int(i) }
}

/// A prepared statement: bind, step, reset.
public final class SQLiteStatement {
    let stmt: OpaquePointer
    unowned let db: SQLiteDatabase
    let sql: String

    init(_ stmt: OpaquePointer, db: SQLiteDatabase, sql: String) {
        self.stmt = stmt
        self.db = db
        self.sql = sql
    }

    deinit { sqlite3_finalize(stmt) }

    public func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
        for (k, v) in values.enumerated() {
            let i = Int32(k + 1)
            let rc: Int32
            switch v {
            case .int(let x): rc = sqlite3_bind_int64(stmt, i, x)
            case .double(let x): rc = sqlite3_bind_double(stmt, i, x)
            case .text(let s): rc = sqlite3_bind_text(stmt, i, s, -1, csqlite_transient())
            case .null: rc = sqlite3_bind_null(stmt, i)
            }
            guard rc == SQLITE_OK else { throw db.error(rc, sql) }
        }
    }

    /// Binds and runs a statement that returns no rows.
    public func run(_ values: [SQLiteValue]) throws {
        try bind(values)
        let rc = sqlite3_step(stmt)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw db.error(rc, sql) }
        sqlite3_reset(stmt)
    }

    /// Steps through the rows of a bound statement.
    public func rows<T>(_ map: (SQLiteRow) throws -> T) throws -> [T] {
        var out: [T] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw db.error(rc, sql) }
            out.append(try map(SQLiteRow(stmt: stmt)))
        }
        sqlite3_reset(stmt)
        return out
    }
}
