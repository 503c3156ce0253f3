import GroupSMSPhoneNumbers
import GroupSMSPlatform
import GroupSMSStore
import GroupSMSXLSX

/// What `groupsms --version` prints: this build's version, the phone-number metadata it was
/// generated from and the C libraries it runs on, as linked, so a bug report says it all.
enum VersionText {
    /// This release of groupsms.
    static let release = "0.1.0"

    /// Several lines, no trailing newline (ArgumentParser adds it).
    static var text: String {
        """
        groupsms \(release)
        libphonenumber metadata \(PhoneNumberNormalizer.libphonenumberVersion)
        SQLite \(JobStore.sqliteVersion)
        libxml2 \(XLSXLinkedLibraries.libxml2Version)
        libzip \(XLSXLinkedLibraries.libzipVersion)
        libcurl \(PlatformClient.libcurlVersion)
        """
    }
}
