/// The versions of the C libraries the XLSX reader and writer run on, for `groupsms --version`
/// and bug reports (read from the linked libraries, not from the headers built against).
public enum XLSXLinkedLibraries {
    /// libxml2, which parses the workbook's XML parts, e.g. "2.9.14".
    public static var libxml2Version: String { XMLRuntime.linkedVersion }
    /// libzip, which opens and writes the workbook package, e.g. "1.7.3".
    public static var libzipVersion: String { ZipArchive.linkedVersion }
}
