import GroupSMSStore

/// Claiming and settling chunks on PostgreSQL as on SQLite (see `ChunkStoring`).
extension PostgresJobStore: ChunkStoring {}
