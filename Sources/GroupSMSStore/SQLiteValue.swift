import Foundation
import GroupSMSModel

/// A value bound to a statement parameter.
enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// An integer, or NULL when absent.
    static func int(_ value: Int?) -> SQLiteValue { value.map { .integer(Int64($0)) } ?? .null }
    /// A 64-bit integer, or NULL when absent.
    static func int64(_ value: Int64?) -> SQLiteValue { value.map { .integer($0) } ?? .null }
    /// Text, or NULL when absent.
    static func string(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
    /// A time as whole milliseconds since 1970 (the store's time unit), or NULL when absent.
    static func time(_ value: Date?) -> SQLiteValue { value.map { .integer(StoreTime.milliseconds($0)) } ?? .null }
}
