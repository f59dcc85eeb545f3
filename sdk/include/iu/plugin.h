/*
 * argocd-image-updater plugin ABI, version 1.0.
 *
 * This header is the only thing a plugin compiles against. It is plain C99 so that a plugin can
 * be written in any language with a C FFI; C++ authors usually use <iu/plugin.hpp> on top of it.
 *
 * ---------------------------------------------------------------------------------------------
 * Stability rules (the contract between host and plugin)
 * ---------------------------------------------------------------------------------------------
 *  1. A plugin exports exactly one symbol, IU_PLUGIN_ENTRY_SYMBOL ("iu_plugin_entry"), of type
 *     iu_plugin_entry_fn. It returns a descriptor that lives until the process exits.
 *  2. Negotiation: the plugin's ABI major must equal the host's; the plugin's minor must be <= the
 *     host's. Anything else is refused by the host with a message; nothing of the plugin is run
 *     beyond the entry point.
 *  3. Every struct starts with `uint32_t struct_size` (sizeof the struct as the writer knew it)
 *     and only ever grows at the end. A reader copies min(struct_size, sizeof) into a zeroed
 *     struct, so a field or slot a writer did not know about reads as 0 / NULL, meaning
 *     "absent" or "not provided". Field order and types of released versions never change;
 *     tests/sdk/abi_layout_test.cpp freezes them.
 *  4. Arrays passed from host to plugin carry an element stride (`*_stride`, bytes): index them
 *     with IU_ELEMENT(base, stride, i), never with sizeof of your own header's struct.
 *  5. Only fixed-width integers, `const char*` + length views (iu_str), function pointers and
 *     opaque pointers cross the boundary. No C++ types, no exceptions, no bool, no enum-typed
 *     fields (enumerations are #defines over int32_t/uint32_t).
 *  6. Ownership: every input is borrowed for the duration of the call only; copy what you keep.
 *     Outputs go through host-provided sinks (the host copies during the sink call) or as index
 *     lists into the inputs. Memory allocated on one side is never freed on the other.
 *  7. Errors: methods return an iu_status. On failure the plugin should call host->set_error()
 *     with a human-readable message (no secrets) before returning. The host maps the status to
 *     its retry policy (see IU_STATUS_*).
 *  8. Threading: every call is synchronous and made on a host worker thread; it may block (the
 *     host's HTTP service is blocking). A factory with IU_FACTORY_CONCURRENT may be called on
 *     one instance from several threads at once; without it the host serialises calls per
 *     instance. All host services are thread-safe.
 * ---------------------------------------------------------------------------------------------
 */
#ifndef IU_PLUGIN_H
#define IU_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IU_ABI_MAJOR 1
#define IU_ABI_MINOR 0

#define IU_PLUGIN_ENTRY_SYMBOL "iu_plugin_entry"

#if defined(_WIN32)
#define IU_EXPORT __declspec(dllexport)
#else
#define IU_EXPORT __attribute__((visibility("default")))
#endif

/* Address of element i of an array whose elements are `stride` bytes apart (rule 4). */
#define IU_ELEMENT(type, base, stride, i) \
  ((const type*)((const unsigned char*)(base) + (size_t)(stride) * (size_t)(i)))

/* ============================================================================================
 * Basic types
 * ========================================================================================== */

/* A borrowed byte string: not NUL-terminated unless stated; data may be NULL when size is 0. */
typedef struct iu_str {
  const char* data;
  uint64_t size;
} iu_str;

/* A borrowed key/value pair (configuration entries, labels, HTTP headers). */
typedef struct iu_kv {
  iu_str key;
  iu_str value;
} iu_kv;

/* Status codes. The host's retry policy understands them:
 *   TRANSIENT and RATE_LIMITED may be retried; UNAUTHENTICATED makes the host re-resolve
 *   credentials and retry once; everything else is final for this attempt. */
typedef int32_t iu_status;
#define IU_STATUS_OK 0
#define IU_STATUS_NOT_FOUND 1        /* the thing asked for does not exist (repository, tag) */
#define IU_STATUS_UNAUTHENTICATED 2  /* credentials missing, wrong, or expired (401/403) */
#define IU_STATUS_RATE_LIMITED 3     /* the remote asked us to slow down (429) */
#define IU_STATUS_TRANSIENT 4        /* network error, 5xx, timeout: worth another attempt */
#define IU_STATUS_CONFLICT 5         /* optimistic concurrency lost (409, rejected push) */
#define IU_STATUS_INVALID_ARGUMENT 6 /* bad input or configuration: fix the config */
#define IU_STATUS_UNSUPPORTED 7      /* not provided by this plugin or this host */
#define IU_STATUS_INTERNAL 8         /* a bug or an unexpected condition */
#define IU_STATUS_CANCELLED 9        /* the call was cancelled or its deadline passed */

/* Plugin kinds. */
#define IU_KIND_REGISTRY 1
#define IU_KIND_STRATEGY 2
#define IU_KIND_SCHEDULER 3
#define IU_KIND_WRITEBACK 4

/* Log levels for iu_host_api.log. */
#define IU_LOG_TRACE 0
#define IU_LOG_DEBUG 1
#define IU_LOG_INFO 2
#define IU_LOG_WARN 3
#define IU_LOG_ERROR 4

/* "Unknown" value for int64 timestamps (milliseconds since the Unix epoch). */
#define IU_TIME_UNKNOWN INT64_MIN

/* Opaque per-call context created by the host for every call into a plugin (including
 * create). It identifies the calling plugin instance (for logs, metrics and the per-endpoint
 * HTTP policy), carries the error message slot, cancellation and the deadline. Valid only
 * during the call it was passed to; pass it to every host service you use in that call. */
typedef struct iu_call iu_call;

/* Sink for one string result (the host copies the bytes during the call). */
typedef struct iu_str_sink {
  uint32_t struct_size;
  void* user;
  void (*put)(void* user, iu_str value);
} iu_str_sink;

/* Sink for a list of indices into an input array (e.g. a ranking, best first). */
typedef struct iu_index_sink {
  uint32_t struct_size;
  void* user;
  void (*put)(void* user, uint64_t index);
} iu_index_sink;

/* ============================================================================================
 * Host services (append-only). Obtained from iu_plugin_query.host; valid until exit.
 * ========================================================================================== */

/* HTTP request flags. */
#define IU_HTTP_IDEMPOTENT 0x1u    /* may be retried on network errors, 429, 502, 503, 504 */
#define IU_HTTP_NO_RATE_LIMIT 0x2u /* bypass the endpoint's token bucket (not its in-flight cap) \
                                    */
#define IU_HTTP_FOLLOW_REDIRECTS \
  0x4u /* follow up to 10 redirects; Authorization dropped across hosts */

typedef struct iu_http_request {
  uint32_t struct_size;
  uint32_t flags;       /* IU_HTTP_* */
  iu_str method;        /* "GET", "HEAD", "POST", ... */
  iu_str url;           /* absolute http(s) URL */
  const iu_kv* headers; /* request headers; array of header_count iu_kv (stride sizeof(iu_kv)) */
  uint64_t header_count;
  iu_str body;             /* request body (may be empty) */
  iu_str op;               /* metric label: ping, token, tags, manifest, blob, referrers, api */
  iu_str singleflight_key; /* non-empty: identical concurrent requests with this key share one
                              flight; followers receive the leader's response */
  iu_str aws_sigv4;        /* non-empty: sign with AWS SigV4, e.g. "aws:amz:us-east-1:ecr" */
  iu_str aws_credentials; /* "ACCESS_KEY:SECRET" (+ ":SESSION_TOKEN") for aws_sigv4; never logged */
  uint64_t max_body_bytes; /* responses larger than this fail with INVALID_ARGUMENT; 0 = 16 MiB */
  uint32_t timeout_ms;     /* whole-request deadline per attempt; 0 = host default */
} iu_http_request;

typedef struct iu_http_response {
  uint32_t struct_size;
  int32_t status;       /* HTTP status code */
  const iu_kv* headers; /* lower-cased names; duplicates kept in order */
  uint64_t header_count;
  iu_str body;
  iu_str effective_url; /* after redirects */
} iu_http_response;

/* Receives the final response (after retries). Borrowed: copy what you keep. */
typedef void (*iu_http_response_fn)(void* user, const iu_http_response* response);

/* Metric types for metric_declare. */
#define IU_METRIC_COUNTER 1
#define IU_METRIC_GAUGE 2
#define IU_METRIC_HISTOGRAM 3

typedef struct iu_host_api {
  uint32_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  const char* host_version; /* NUL-terminated, e.g. "0.1.0" */

  /* Logs a line attributed to the calling plugin instance. message need not be NUL-terminated.
   * Levels IU_LOG_*. Never pass secrets. */
  void (*log)(iu_call* call, int32_t level, iu_str message);

  /* Sets the error message that accompanies the non-OK status the current method returns.
   * The last call wins. */
  void (*set_error)(iu_call* call, iu_str message);

  /* 1 when the caller gave up (shutdown, deadline); long loops should check and return
   * IU_STATUS_CANCELLED. */
  int32_t (*cancelled)(iu_call* call);

  /* Milliseconds left until the call's deadline; INT64_MAX when there is none. */
  int64_t (*remaining_ms)(iu_call* call);

  /* Looks up the instance's configuration value (validated and defaulted by the host from the
   * factory's config_keys). Returns NOT_FOUND for a key that was not declared. */
  iu_status (*config_get)(iu_call* call, iu_str key, const iu_str_sink* out);

  /* Performs an HTTP request through the host's transport: the calling instance's endpoint
   * settings (TLS, CA, proxy), its token-bucket rate limit and in-flight cap, retries with
   * jittered back-off honouring Retry-After (IU_HTTP_IDEMPOTENT only), connection reuse,
   * singleflight and metrics. Returns OK when a response (any HTTP status) was received and
   * handed to on_response; otherwise a status (TRANSIENT, RATE_LIMITED, CANCELLED, ...) with
   * the error set on the call. */
  iu_status (*http)(iu_call* call, const iu_http_request* request, iu_http_response_fn on_response,
                    void* user);

  /* Resolves a credential reference (env:VAR, ext:/path, secret:ns/name#field,
   * pullsecret:ns/name) to "user:password". `registry_host` selects the .dockerconfigjson
   * entry for pullsecret refs (may be empty). The value goes to `out` and must never be
   * logged. */
  iu_status (*resolve_secret)(iu_call* call, iu_str ref, iu_str registry_host,
                              const iu_str_sink* out);

  /* Declares a metric (idempotent; same name must keep the same type and label names).
   * label_names is a comma-separated list. Returns a handle > 0, or 0 on error. */
  uint64_t (*metric_declare)(iu_call* call, int32_t type, iu_str name, iu_str help,
                             iu_str label_names);

  /* Updates a declared metric: counter += value, gauge = value, histogram observe(value).
   * label_values is a comma-separated list matching the declared names. */
  void (*metric_update)(iu_call* call, uint64_t metric, iu_str label_values, double value);

  /* 1 when a line at `level` would be written: lets a plugin skip building per-item debug
   * text that would be dropped anyway. */
  int32_t (*log_enabled)(iu_call* call, int32_t level);
} iu_host_api;

/* ============================================================================================
 * Configuration keys a factory declares. The host validates and defaults them before create.
 * ========================================================================================== */

#define IU_CONFIG_STRING 1
#define IU_CONFIG_BOOL 2     /* 1 t T TRUE true True 0 f F FALSE false False */
#define IU_CONFIG_INT 3      /* signed 64-bit decimal */
#define IU_CONFIG_DURATION 4 /* Go duration syntax; delivered as milliseconds in decimal */
#define IU_CONFIG_LIST 5     /* comma-separated strings */

typedef struct iu_config_key {
  uint32_t struct_size;
  int32_t type;              /* IU_CONFIG_* */
  const char* name;          /* NUL-terminated, e.g. "tagsortmode" */
  const char* default_value; /* NUL-terminated text in the type's syntax; NULL = no default */
  int32_t required;          /* 1: missing is a configuration error */
  const char* description;   /* one line, for `plugins -o json` and error messages */
} iu_config_key;

/* ============================================================================================
 * Kind: registry (chosen by registries.conf `plugin`, default "docker-v2")
 *
 * One instance per registry endpoint. Configuration keys the host always provides (whether
 * declared or not): api_url, prefix, name, defaultns, insecure, tagsortmode. The host does the
 * caching (tag lists, tag->digest, digest-keyed metadata), singleflight of whole operations,
 * credential resolution and precedence; the plugin speaks the protocol.
 * ========================================================================================== */

/* Credentials for one call, already resolved by the host (image pullSecret > registry
 * credentials > anonymous). Both empty = anonymous. Never log them. */
typedef struct iu_credentials {
  uint32_t struct_size;
  iu_str username;
  iu_str password;
  iu_str identity; /* stable, secret-free identity for cache keys (e.g. the ref string) */
} iu_credentials;

typedef struct iu_repo_request {
  uint32_t struct_size;
  iu_str repository; /* API repository path, e.g. "library/nginx" */
  const iu_credentials* credentials;
} iu_repo_request;

typedef struct iu_tag_info {
  uint32_t struct_size;
  iu_str tag;
  iu_str digest;        /* manifest digest when the listing knows it (e.g. ECR); else empty */
  int64_t pushed_at_ms; /* push time when known; else IU_TIME_UNKNOWN */
} iu_tag_info;

typedef struct iu_tag_sink {
  uint32_t struct_size;
  void* user;
  void (*put)(void* user, const iu_tag_info* tag);
} iu_tag_sink;

typedef struct iu_platform {
  iu_str os;
  iu_str architecture;
  iu_str variant;
} iu_platform;

typedef struct iu_manifest_child {
  uint32_t struct_size;
  iu_str digest;
  iu_str media_type;
  iu_platform platform;
} iu_manifest_child;

typedef struct iu_manifest_info {
  uint32_t struct_size;
  iu_str digest; /* digest of the manifest as served (Docker-Content-Digest or computed) */
  iu_str media_type;
  int32_t is_index;                  /* 1 for an OCI index / Docker manifest list */
  const iu_manifest_child* children; /* index children; stride children_stride */
  uint64_t child_count;
  uint32_t children_stride;
  iu_str config_digest; /* single manifests: the config blob digest */
} iu_manifest_info;

typedef struct iu_manifest_sink {
  uint32_t struct_size;
  void* user;
  void (*put)(void* user, const iu_manifest_info* manifest);
} iu_manifest_sink;

typedef struct iu_image_config {
  uint32_t struct_size;
  iu_str created; /* RFC 3339 text as served; empty when absent */
  iu_platform platform;
  const iu_kv* labels; /* stride sizeof(iu_kv) */
  uint64_t label_count;
} iu_image_config;

typedef struct iu_image_config_sink {
  uint32_t struct_size;
  void* user;
  void (*put)(void* user, const iu_image_config* config);
} iu_image_config_sink;

/* Manifest request flags. */
#define IU_MANIFEST_HEAD_ONLY 0x1u /* only the digest and media type are needed */

typedef struct iu_registry_vtable {
  uint32_t struct_size;
  /* Creates an instance for one endpoint. Read settings with host->config_get(call, ...). */
  iu_status (*create)(iu_call* call, void** out_instance);
  void (*destroy)(void* instance);
  /* Lists every tag of the repository (all pages), in the registry's order. */
  iu_status (*list_tags)(void* instance, iu_call* call, const iu_repo_request* request,
                         const iu_tag_sink* out);
  /* Fetches the manifest for a tag or digest; content fetched by digest must be verified. */
  iu_status (*get_manifest)(void* instance, iu_call* call, const iu_repo_request* request,
                            iu_str reference, uint32_t flags, const iu_manifest_sink* out);
  /* Fetches and parses the config blob with the given digest. */
  iu_status (*get_image_config)(void* instance, iu_call* call, const iu_repo_request* request,
                                iu_str config_digest, const iu_image_config_sink* out);
} iu_registry_vtable;

/* ============================================================================================
 * Kind: strategy (chosen by updateStrategy)
 *
 * One instance per strategy type, shared by every image (declare IU_FACTORY_CONCURRENT).
 * The host filters tags first (allowTags, ignoreTags), fetches the metadata the strategy asks
 * for only for the survivors, then calls rank() once per image: one boundary crossing per
 * image, not per comparison.
 * ========================================================================================== */

/* What rank() needs per candidate (iu_strategy_vtable.needs). */
#define IU_NEEDS_CREATED 0x1u /* build time (config `created`); implies a strict platform check */
#define IU_NEEDS_DIGEST 0x2u  /* the tag's manifest digest */
#define IU_NEEDS_PUSHED 0x4u  /* push time, where the registry reports it */

/* How the winner is used (iu_strategy_vtable.result). */
#define IU_RESULT_TAG 0          /* write the tag name */
#define IU_RESULT_FRESH_DIGEST 1 /* write tag@digest, the digest resolved fresh for the winner */

/* Platform policy (iu_strategy_vtable.platforms). */
#define IU_PLATFORMS_LAZY                                                                          \
  0                           /* only when platforms are set explicitly: walk the ranking from the \
                                 best down and take the first tag with a matching manifest */
#define IU_PLATFORMS_STRICT 1 /* every candidate is checked (falls out of IU_NEEDS_CREATED) */
#define IU_PLATFORMS_WINNER 2 /* the winner must match (default platform when unset) */

typedef struct iu_tag_candidate {
  uint32_t struct_size;
  iu_str tag;
  int64_t created_ms;   /* IU_NEEDS_CREATED: build time; a missing `created` is delivered as 0
                           (the Unix epoch, as upstream); IU_TIME_UNKNOWN when not requested */
  iu_str digest;        /* IU_NEEDS_DIGEST */
  int64_t pushed_at_ms; /* IU_NEEDS_PUSHED; IU_TIME_UNKNOWN when the registry cannot say */
} iu_tag_candidate;

typedef struct iu_select_request {
  uint32_t struct_size;
  iu_str version; /* version text of imageName: constraint or tracked tag; may be empty */
  iu_str image;   /* image name for messages, e.g. "ghcr.io/acme/api" */
  const iu_tag_candidate* candidates; /* filtered tags, registry order; stride below */
  uint64_t candidate_count;
  uint32_t candidate_stride;
  uint64_t max_results; /* rank at most this many (best first); 0 = all acceptable */
} iu_select_request;

typedef struct iu_strategy_vtable {
  uint32_t struct_size;
  uint32_t needs;    /* IU_NEEDS_* */
  int32_t result;    /* IU_RESULT_* */
  int32_t platforms; /* IU_PLATFORMS_* */
  iu_status (*create)(iu_call* call, void** out_instance);
  void (*destroy)(void* instance);
  /* Configuration-time check of an image's version text (e.g. a semver constraint).
   * INVALID_ARGUMENT with a message such as `invalid semver constraint ">==1": ...`. */
  iu_status (*validate)(void* instance, iu_call* call, iu_str version);
  /* Puts the indices of acceptable candidates, best first, into `out` (at most max_results).
   * Putting nothing means "no candidate". */
  iu_status (*rank)(void* instance, iu_call* call, const iu_select_request* request,
                    const iu_index_sink* out);
} iu_strategy_vtable;

/* ============================================================================================
 * Kind: scheduler (chosen by --schedule)
 *
 * Orders the applications of a pass. The host applies --cooldown and --per-repo-cap on top of
 * the returned order. Indices left out of the output are not processed in this pass.
 * ========================================================================================== */

#define IU_RESULT_NONE 0 /* never attempted */
#define IU_RESULT_SUCCESS 1
#define IU_RESULT_FAILURE 2

typedef struct iu_sched_job {
  uint32_t struct_size;
  iu_str app_namespace;
  iu_str app_name;
  iu_str repository;       /* write-back repository key (normalized) */
  int64_t last_attempt_ms; /* IU_TIME_UNKNOWN when never */
  int64_t last_success_ms; /* last successful update */
  int64_t last_failure_ms;
  int32_t last_result; /* IU_RESULT_NONE / SUCCESS / FAILURE */
} iu_sched_job;

typedef struct iu_sched_request {
  uint32_t struct_size;
  int64_t now_ms;
  const iu_sched_job* jobs; /* in listing order (namespace, name); stride below */
  uint64_t job_count;
  uint32_t job_stride;
} iu_sched_request;

typedef struct iu_scheduler_vtable {
  uint32_t struct_size;
  iu_status (*create)(iu_call* call, void** out_instance);
  void (*destroy)(void* instance);
  /* Puts job indices in processing order. */
  iu_status (*order)(void* instance, iu_call* call, const iu_sched_request* request,
                     const iu_index_sink* out);
} iu_scheduler_vtable;

/* ============================================================================================
 * Kind: writeback (chosen by writeBackConfig.method, text before the first ':')
 *
 * The host builds one write intent per application per pass and groups intents by the key the
 * plugin returns from batch_key(); a group is handed to write_batch() once (one commit and one
 * push for git). Intents are semantic: re-applicable to a newer version of the target.
 * ========================================================================================== */

typedef struct iu_image_change {
  uint32_t struct_size;
  iu_str alias;
  iu_str image_name;   /* written name: [registry/]repository as configured (updater view) */
  iu_str old_tag;      /* live version ("" when unknown / forced); tag[@digest] */
  iu_str new_tag;      /* the tag chosen */
  iu_str new_digest;   /* set for IU_RESULT_FRESH_DIGEST strategies */
  const iu_kv* target; /* manifest target settings, e.g. helm.name, helm.tag, helm.spec,
                          kustomize.name, plugin.name ... (stride sizeof(iu_kv)) */
  uint64_t target_count;
} iu_image_change;

/* Standard keys of iu_write_intent.settings (the host sets those that apply; plugins ignore
 * keys they do not know):
 *   repository         git repository URL (gitConfig.repository, else the source's repoURL)
 *   branch             the branch setting as configured: "base", "base:target", ":target" or ""
 *   target_revision    targetRevision of the selected source ("" / "HEAD" = default branch)
 *   write_back_target  writeBackTarget as configured ("" = the parameter override file)
 *   source_path        path of the selected source in the repository
 *   source_type        "Helm", "Kustomize" or "Plugin"
 *   source_field       which source of the Application is written: "spec.source" or
 *                      "spec.sources[<i>]" (a SourceHydrator app: "spec.sourceHydrator.drySource")
 *   argocd_namespace   the Argo CD control-plane namespace (also the namespace of a `dir`
 *                      document without metadata.namespace)
 *   application_file   `dir` source only: the manifest file the Application document was read
 *                      from (as the host names it, relative to its working directory or
 *                      absolute); the `argocd` write-back edits the document in that file
 *   git_username, git_password, git_ssh_private_key
 *                      credentials resolved by the host from the method (never log them)
 *   dry_run            "true": prepare and log the change, write nothing
 * Standard keys of iu_image_change.target: helm.name, helm.tag, helm.spec, kustomize.name,
 * plugin.name, plugin.tag, plugin.spec. */
typedef struct iu_write_intent {
  uint32_t struct_size;
  iu_str app_namespace;
  iu_str app_name;
  iu_str method;         /* full method text, e.g. "git:secret:deploy-key" */
  const iu_kv* settings; /* write-back and source settings: repository, branch,
                            write_back_target, source_type, source_path, target_revision,
                            argocd_namespace, ... (stride sizeof(iu_kv)) */
  uint64_t setting_count;
  const iu_image_change* changes; /* stride changes_stride */
  uint64_t change_count;
  uint32_t changes_stride;
  iu_str application; /* the Application document as JSON (may be empty) */
} iu_write_intent;

typedef struct iu_write_result {
  uint32_t struct_size;
  uint64_t intent_index; /* index into the batch */
  iu_status status;
  iu_str message;           /* error text, or a summary such as the commit id */
  uint64_t changes_applied; /* 0 when everything was already set */
} iu_write_result;

typedef struct iu_write_result_sink {
  uint32_t struct_size;
  void* user;
  void (*put)(void* user, const iu_write_result* result);
} iu_write_result_sink;

/* What a write-back target currently holds for one change of an intent. */
typedef struct iu_current_value {
  uint32_t struct_size;
  uint64_t change_index; /* index into the intent's changes */
  iu_str image_name;     /* name found in the target ("" when only a tag is stored) */
  iu_str tag;            /* tag found ("" when the target has no entry for the image) */
  iu_str digest;         /* digest found, if any */
} iu_current_value;

typedef struct iu_current_sink {
  uint32_t struct_size;
  void* user;
  void (*put)(void* user, const iu_current_value* value);
} iu_current_sink;

typedef struct iu_writeback_vtable {
  uint32_t struct_size;
  iu_status (*create)(iu_call* call, void** out_instance);
  void (*destroy)(void* instance);
  /* Batch key of an intent (e.g. "<repo>@<branch>"); empty = never batched. */
  iu_status (*batch_key)(void* instance, iu_call* call, const iu_write_intent* intent,
                         const iu_str_sink* out);
  /* Writes a batch; must put exactly one result per intent. The returned status concerns the
   * batch as a whole (OK when every result was put, even failed ones). */
  iu_status (*write_batch)(void* instance, iu_call* call, const iu_write_intent* const* intents,
                           uint64_t intent_count, const iu_write_result_sink* out);
  /* Optional. Reads what the target currently holds for each change of `intent` (its new_* fields
   * are empty): one put per change that has an entry, none for the others. Used where the
   * deployed version is not known from the cluster (the dir source, forceUpdate). */
  iu_status (*read_current)(void* instance, iu_call* call, const iu_write_intent* intent,
                            const iu_current_sink* out);
} iu_writeback_vtable;

/* ============================================================================================
 * Entry point and descriptor
 * ========================================================================================== */

/* Factory flags. */
#define IU_FACTORY_CONCURRENT 0x1u /* one instance may be called from several threads at once */

typedef struct iu_factory {
  uint32_t struct_size;
  uint32_t kind;           /* IU_KIND_* */
  const char* type_name;   /* NUL-terminated, unique per kind: "docker-v2", "semver", ... */
  const char* description; /* one line */
  uint32_t flags;          /* IU_FACTORY_* */
  const void* vtable;      /* iu_registry_vtable*, iu_strategy_vtable*, ... per kind */
  const iu_config_key* const* config_keys; /* array of config_key_count pointers */
  uint32_t config_key_count;
  const char* const* aliases; /* alternative type names (e.g. "latest"); may be NULL */
  uint32_t alias_count;
} iu_factory;

typedef struct iu_plugin_descriptor {
  uint32_t struct_size;
  uint32_t abi_major;      /* IU_ABI_MAJOR the plugin was built with */
  uint32_t abi_minor;      /* IU_ABI_MINOR the plugin was built with */
  const char* plugin_name; /* NUL-terminated */
  const char* plugin_version;
  const iu_factory* const* factories; /* array of factory_count pointers */
  uint32_t factory_count;
} iu_plugin_descriptor;

typedef struct iu_plugin_query {
  uint32_t struct_size;
  uint32_t host_abi_major;
  uint32_t host_abi_minor;
  const iu_host_api* host; /* valid until exit; keep it */
} iu_plugin_query;

/* The one exported symbol. Returns NULL to refuse loading (the host reports it). */
typedef const iu_plugin_descriptor* (*iu_plugin_entry_fn)(const iu_plugin_query* query);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IU_PLUGIN_H */
