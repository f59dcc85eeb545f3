/* Compiles plugin.h as C99: a plugin author's C compiler must accept the header. */
#include "iu/plugin.h"

/* C99 has no _Static_assert: a negative array size fails the build instead. */
typedef char iu_str_is_pointer_and_u64[(sizeof(iu_str) == 16) ? 1 : -1];

int iu_abi_c99_check_major(void) { return IU_ABI_MAJOR; }
