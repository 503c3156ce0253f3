#ifndef GROUPSMS_CZIP_SHIM_H
#define GROUPSMS_CZIP_SHIM_H
#include <zip.h>
#endif
