import GroupSMSStore

/// Listing, scheduling and stopping jobs, and the figures of `/metrics` and `/readyz`, as `JobStore` answers them.
extension PostgresJobStore: JobLifecycleStoring {}
