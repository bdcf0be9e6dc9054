#ifndef ABLATE_CLIBGIT2_SHIM_H
#define ABLATE_CLIBGIT2_SHIM_H
#include <git2.h>
#endif
