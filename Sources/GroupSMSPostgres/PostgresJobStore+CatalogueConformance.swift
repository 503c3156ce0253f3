import GroupSMSStore

/// Suppression, the template catalogue, the jobs-folder index and reruns, as `JobStore` answers them.
extension PostgresJobStore: CatalogueStoring {}
