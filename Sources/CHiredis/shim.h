#ifndef PAGEVIEWS_CHIREDIS_SHIM_H
#define PAGEVIEWS_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
