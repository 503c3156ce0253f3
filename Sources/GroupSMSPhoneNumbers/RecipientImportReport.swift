import GroupSMSModel
/// What importing a job's recipient files found: the shape `groupsms check --json` prints
/// (SPEC §3), plus the warnings and the duplicate cells.
///
/// Encodes as `{"files":[{"path","rows","valid","invalid","duplicates"}], "valid", "duplicates",
/// "invalid":[{"file","cell","value","reason"}], "numbers":[...], "warnings":[...],
/// "duplicateEntries":[...]}`, plus `"variables":{"header","values"}` for a personalised job.
public struct RecipientImportReport: Sendable, Codable, Equatable {
    /// Counts for one file. `rows` excludes a skipped header; rows = valid + invalid + duplicates.
    public struct FileSummary: Sendable, Codable, Equatable {
        /// The file as the user named it.
        public var path: String
        /// Entries read (the header not counted).
        public var rows: Int
        /// Valid numbers first seen in this file.
        public var valid: Int
        /// Entries that are not usable numbers.
        public var invalid: Int
        /// Valid numbers already seen earlier in this file or in an earlier file.
        public var duplicates: Int
    }

    /// A cell that is not a usable number.
    public struct InvalidEntry: Sendable, Codable, Equatable {
        /// The file as the user named it.
        public var file: String
        /// The cell reference, e.g. "A7".
        public var cell: String
        /// The cell's value as stored.
        public var value: String
        /// What is wrong, for the user.
        public var reason: String
    }

    /// A cell whose number was already seen.
    public struct DuplicateEntry: Sendable, Codable, Equatable {
        /// The file of the repeating cell.
        public var file: String
        /// The repeating cell.
        public var cell: String
        /// Its value as stored.
        public var value: String
        /// The number in E.164 form.
        public var number: String
        /// The file where the number was first seen.
        public var firstFile: String
        /// The cell where the number was first seen.
        public var firstCell: String
    }

    /// A valid number that cannot receive SMS (fixed line only, toll free, premium rate,
    /// shared cost, UAN, voicemail). It stays in `numbers`.
    public struct Warning: Sendable, Codable, Equatable {
        /// The file of the cell.
        public var file: String
        /// The cell reference.
        public var cell: String
        /// The cell's value as stored.
        public var value: String
        /// The number in E.164 form.
        public var number: String
        /// Its type, one that cannot receive SMS.
        public var type: PhoneNumberType

        /// What the user should know, e.g. "+861012345678 is a fixed-line number and cannot
        /// receive SMS; ...". Derived, so that importing spends no time on text.
        public var message: String { NormalizedPhoneNumber.smsWarning(number: number, type: type) }

        private enum CodingKeys: String, CodingKey { case file, cell, value, number, type, message }

        /// Creates a warning for `number` of `type` found in `file` at `cell`.
        public init(file: String, cell: String, value: String, number: String, type: PhoneNumberType) {
            self.file = file
            self.cell = cell
            self.value = value
            self.number = number
            self.type = type
        }

        /// Decodes a warning (its message is derived, not read).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(file: try container.decode(String.self, forKey: .file),
                      cell: try container.decode(String.self, forKey: .cell),
                      value: try container.decode(String.self, forKey: .value),
                      number: try container.decode(String.self, forKey: .number),
                      type: try container.decode(PhoneNumberType.self, forKey: .type))
        }

        /// Encodes the warning with its message.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(cell, forKey: .cell)
            try container.encode(value, forKey: .value)
            try container.encode(number, forKey: .number)
            try container.encode(type, forKey: .type)
            try container.encode(message, forKey: .message)
        }
    }

    /// Per-file counts, in the order the files were read.
    public var files: [FileSummary]
    /// Distinct valid numbers in the job (`numbers.count`).
    public var valid: Int
    /// Valid entries that repeated an earlier number, over all files.
    public var duplicates: Int
    /// Every entry that is not a usable number, in reading order.
    public var invalid: [InvalidEntry]
    /// The distinct valid numbers in E.164 form, in first-seen order.
    public var numbers: E164NumberList
    /// Valid numbers that cannot receive SMS, in reading order.
    public var warnings: [Warning]
    /// Which cell repeated which first cell, in reading order.
    public var duplicateEntries: [DuplicateEntry]
    /// Distinct valid numbers per ISO region code (what the estimate counts and prices).
    public var numbersByRegion: [String: Int] = [:]
    /// Each number's own template values, for files read with `--variables columns`; nil otherwise.
    public var variables: RecipientValues? = nil
}
