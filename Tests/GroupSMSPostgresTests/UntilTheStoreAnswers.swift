import Foundation
import GroupSMSPostgres

/// Retries `body` until it succeeds: at most 50 times, 100 ms apart (a pooled connection broken
/// by a restart or an ended session may fail one use before the pool replaces it).
func untilTheStoreAnswers<T>(_ body: () async throws -> T) async throws -> T {
    var last: (any Error)?
    for _ in 0..<50 {
        do { return try await body() } catch { last = error }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw last ?? PostgresStoreError.unreachable(store: "?", reason: "no attempt")
}
