/// The `extend` value that names a chunk in requests and status reports: `<instance>j<job>c<seq>`,
/// e.g. `k3x9j12c345`. Letters and digits only (the platform allows 1-28 characters without
/// spaces or braces); the instance prefix keeps two data dirs sharing an account apart.
public enum ChunkTag {
    /// The tag for chunk `sequence` of `job` in the data dir tagged `instance`.
    public static func make(instance: String, job: JobID, sequence: Int) -> String {
        let tag = "\(instance)j\(job.rawValue)c\(sequence)"
        precondition(tag.utf8.count <= 28, "extend tag \(tag) is longer than the platform's 28 characters")
        return tag
    }

    /// The instance, job and sequence a tag names, or nil if it is not a groupsms tag.
    public static func parse(_ tag: String) -> (instance: String, job: JobID, sequence: Int)? {
        let characters = Array(tag)
        guard characters.count > 6, characters.count <= 28 else { return nil }
        let instance = String(characters[0..<4])
        let rest = characters[4...]
        guard rest.first == "j", let c = rest.firstIndex(of: "c") else { return nil }
        let jobDigits = String(characters[(rest.startIndex + 1)..<c])
        let seqDigits = String(characters[(c + 1)...])
        guard !jobDigits.isEmpty, !seqDigits.isEmpty,
              jobDigits.allSatisfy({ $0.isASCII && $0.isNumber }), seqDigits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let job = Int64(jobDigits), let sequence = Int(seqDigits) else { return nil }
        return (instance, JobID(job), sequence)
    }
}
