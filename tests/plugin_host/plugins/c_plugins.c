/* Hand-written C plugins exercising negotiation. Compiled once per variant with -DVARIANT=n:
 *  1 abi major mismatch      2 newer minor              3 entry returns NULL
 *  4 older minor: smaller descriptor/factory/vtable sizes (must load; missing slots = NULL)
 *  5 factory missing its required slot                  6 no entry symbol at all */
#include <stddef.h>
#include <string.h>

#include "iu/plugin.h"

#if VARIANT == 6
IU_EXPORT int not_the_entry(void) { return 0; }
#else
static const iu_host_api* g_host;

static iu_status create(iu_call* call, void** out) {
  (void)call;
  static int instance;
  *out = &instance;
  return IU_STATUS_OK;
}
static void destroy(void* instance) { (void)instance; }
static iu_status list_tags(void* inst, iu_call* call, const iu_repo_request* req,
                           const iu_tag_sink* out) {
  iu_tag_info info;
  (void)inst;
  (void)req;
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  info.tag.data = "1.0.0";
  info.tag.size = 5;
  info.pushed_at_ms = IU_TIME_UNKNOWN;
  out->put(out->user, &info);
  g_host->log(call, IU_LOG_DEBUG, info.tag);
  return IU_STATUS_OK;
}

static iu_registry_vtable vt;
static iu_factory factory;
static const iu_factory* factories[1];
static iu_plugin_descriptor descriptor;

IU_EXPORT const iu_plugin_descriptor* iu_plugin_entry(const iu_plugin_query* q) {
  g_host = q->host;
  memset(&vt, 0, sizeof vt);
  vt.struct_size = sizeof vt;
  vt.create = create;
  vt.destroy = destroy;
  vt.list_tags = list_tags;
  memset(&factory, 0, sizeof factory);
  factory.struct_size = sizeof factory;
  factory.kind = IU_KIND_REGISTRY;
  factory.type_name = "c-registry";
  factory.vtable = &vt;
  factories[0] = &factory;
  memset(&descriptor, 0, sizeof descriptor);
  descriptor.struct_size = sizeof descriptor;
  descriptor.abi_major = IU_ABI_MAJOR;
  descriptor.abi_minor = IU_ABI_MINOR;
  descriptor.plugin_name = "c-plugin";
  descriptor.plugin_version = "0.0.1";
  descriptor.factories = factories;
  descriptor.factory_count = 1;
#if VARIANT == 1
  descriptor.abi_major = IU_ABI_MAJOR + 1;
#elif VARIANT == 2
  descriptor.abi_minor = IU_ABI_MINOR + 1;
#elif VARIANT == 3
  return NULL;
#elif VARIANT == 4
  /* An older writer knew neither get_manifest/get_image_config nor factory aliases. The fields
   * past the sizes it reports hold garbage the host must not read. */
  vt.struct_size = offsetof(iu_registry_vtable, get_manifest);
  {
    typedef iu_status (*manifest_fn)(void*, iu_call*, const iu_repo_request*, iu_str, uint32_t,
                                     const iu_manifest_sink*);
    vt.get_manifest = (manifest_fn)(uintptr_t)0xdead;
  }
  factory.struct_size = offsetof(iu_factory, aliases);
  factory.aliases = (const char* const*)(uintptr_t)0xbeef;
  factory.alias_count = 7;
#elif VARIANT == 5
  vt.list_tags = NULL;
#endif
  return &descriptor;
}
#endif
