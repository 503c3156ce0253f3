import Foundation
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// Runs `body` in one transaction like `transaction`, except that an error which did not come
    /// from the database (a folder pick-up's checkpoint fault, a rerun's `prepare` refusal) leaves
    /// as it was thrown, after the rollback: it is the caller's own error, and reporting it as an
    /// unreachable store would send the user looking at the wrong thing.
    func transactionKeepingCallerErrors<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let url = connection.url, logger = connection.logger
        do {
            return try await connection.client.withConnection { connection in
                try await connection.withTransaction(logger: logger) { try await body($0) }
            }
        } catch let error as PostgresTransactionError {
            if let cause = error.closureError, error.rollbackError == nil, !Self.comesFromTheDatabase(cause) {
                throw cause
            }
            throw PostgresStoreError.from(error, store: url)
        } catch let error as StoreError {
            throw error
        } catch {
            throw PostgresStoreError.from(error, store: url)
        }
    }

    private static func comesFromTheDatabase(_ error: any Error) -> Bool {
        error is PSQLError || error is PostgresDecodingError || error is PostgresStoreError || error is CancellationError
    }
}
