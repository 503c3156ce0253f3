#ifndef GROUPSMS_CXML2_SHIM_H
#define GROUPSMS_CXML2_SHIM_H
/* Debian's libxml2 is built with ICU, and encoding.h would then pull in ICU's headers, which
   clash with the copy Foundation ships (_FoundationICU). Nothing here touches the ICU fields of
   xmlCharEncodingHandler, so hide them. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlerror.h>

/* Error sinks that drop messages: libxml2 would otherwise print to stderr. Errors that matter
   are captured per reader through xmlTextReaderSetStructuredErrorHandler. */
static void groupsms_xml_ignore_generic_error(void *context, const char *message, ...) {
    (void)context; (void)message;
}
static void groupsms_xml_ignore_structured_error(void *context, xmlErrorPtr error) {
    (void)context; (void)error;
}

/* Refuses every external entity, DTD or XInclude the parser might try to load. */
static xmlParserInputPtr groupsms_xml_deny_external_entity(const char *url, const char *id,
                                                           xmlParserCtxtPtr context) {
    (void)url; (void)id; (void)context;
    return NULL;
}

/* Process-wide set-up: initialise the parser once and install the deny-all entity loader. */
static inline void groupsms_xml_install_guards(void) {
    xmlInitParser();
    xmlSetExternalEntityLoader(groupsms_xml_deny_external_entity);
}

/* libxml2's global error handlers are per thread: silence them on the calling thread. */
static inline void groupsms_xml_silence_thread(void) {
    xmlSetGenericErrorFunc(NULL, groupsms_xml_ignore_generic_error);
    xmlSetStructuredErrorFunc(NULL, groupsms_xml_ignore_structured_error);
}

#endif
