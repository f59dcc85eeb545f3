// Freezes the layout of every struct of the plugin ABI (sdk/include/iu/plugin.h) on LP64.
// ABI rule 3: structs only grow at the end. Moving, removing or retyping a released field
// changes an offset below and fails the build; appending a field changes only the size line,
// which must then be updated here deliberately together with IU_ABI_MINOR.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>

#include "iu/plugin.h"

static_assert(sizeof(void*) == 8, "the frozen layout below is for LP64 targets");

#define IU_FROZEN_OFFSET(type, field, offset) \
  static_assert(offsetof(type, field) == (offset), #type "." #field " moved: ABI break")
#define IU_FROZEN_SIZE(type, size) \
  static_assert(sizeof(type) == (size), #type " changed size: append-only, bump IU_ABI_MINOR")

IU_FROZEN_SIZE(iu_str, 16);
IU_FROZEN_SIZE(iu_kv, 32);
IU_FROZEN_SIZE(iu_str_sink, 24);
IU_FROZEN_SIZE(iu_index_sink, 24);
IU_FROZEN_SIZE(iu_http_request, 152);
IU_FROZEN_SIZE(iu_http_response, 56);
IU_FROZEN_SIZE(iu_host_api, 104);
IU_FROZEN_SIZE(iu_config_key, 40);
IU_FROZEN_SIZE(iu_credentials, 56);
IU_FROZEN_SIZE(iu_repo_request, 32);
IU_FROZEN_SIZE(iu_tag_info, 48);
IU_FROZEN_SIZE(iu_tag_sink, 24);
IU_FROZEN_SIZE(iu_platform, 48);
IU_FROZEN_SIZE(iu_manifest_child, 88);
IU_FROZEN_SIZE(iu_manifest_info, 88);
IU_FROZEN_SIZE(iu_manifest_sink, 24);
IU_FROZEN_SIZE(iu_image_config, 88);
IU_FROZEN_SIZE(iu_image_config_sink, 24);
IU_FROZEN_SIZE(iu_registry_vtable, 48);
IU_FROZEN_SIZE(iu_tag_candidate, 56);
IU_FROZEN_SIZE(iu_select_request, 72);
IU_FROZEN_SIZE(iu_strategy_vtable, 48);
IU_FROZEN_SIZE(iu_sched_job, 88);
IU_FROZEN_SIZE(iu_sched_request, 40);
IU_FROZEN_SIZE(iu_scheduler_vtable, 32);
IU_FROZEN_SIZE(iu_image_change, 104);
IU_FROZEN_SIZE(iu_write_intent, 112);
IU_FROZEN_SIZE(iu_write_result, 48);
IU_FROZEN_SIZE(iu_write_result_sink, 24);
IU_FROZEN_SIZE(iu_current_value, 64);
IU_FROZEN_SIZE(iu_current_sink, 24);
IU_FROZEN_SIZE(iu_writeback_vtable, 48);
IU_FROZEN_SIZE(iu_factory, 72);
IU_FROZEN_SIZE(iu_plugin_descriptor, 48);
IU_FROZEN_SIZE(iu_plugin_query, 24);
IU_FROZEN_OFFSET(iu_str, data, 0);
IU_FROZEN_OFFSET(iu_str, size, 8);
IU_FROZEN_OFFSET(iu_kv, key, 0);
IU_FROZEN_OFFSET(iu_kv, value, 16);
IU_FROZEN_OFFSET(iu_str_sink, struct_size, 0);
IU_FROZEN_OFFSET(iu_str_sink, user, 8);
IU_FROZEN_OFFSET(iu_str_sink, put, 16);
IU_FROZEN_OFFSET(iu_index_sink, struct_size, 0);
IU_FROZEN_OFFSET(iu_index_sink, user, 8);
IU_FROZEN_OFFSET(iu_index_sink, put, 16);
IU_FROZEN_OFFSET(iu_http_request, struct_size, 0);
IU_FROZEN_OFFSET(iu_http_request, flags, 4);
IU_FROZEN_OFFSET(iu_http_request, method, 8);
IU_FROZEN_OFFSET(iu_http_request, url, 24);
IU_FROZEN_OFFSET(iu_http_request, headers, 40);
IU_FROZEN_OFFSET(iu_http_request, header_count, 48);
IU_FROZEN_OFFSET(iu_http_request, body, 56);
IU_FROZEN_OFFSET(iu_http_request, op, 72);
IU_FROZEN_OFFSET(iu_http_request, singleflight_key, 88);
IU_FROZEN_OFFSET(iu_http_request, aws_sigv4, 104);
IU_FROZEN_OFFSET(iu_http_request, aws_credentials, 120);
IU_FROZEN_OFFSET(iu_http_request, max_body_bytes, 136);
IU_FROZEN_OFFSET(iu_http_request, timeout_ms, 144);
IU_FROZEN_OFFSET(iu_http_response, struct_size, 0);
IU_FROZEN_OFFSET(iu_http_response, status, 4);
IU_FROZEN_OFFSET(iu_http_response, headers, 8);
IU_FROZEN_OFFSET(iu_http_response, header_count, 16);
IU_FROZEN_OFFSET(iu_http_response, body, 24);
IU_FROZEN_OFFSET(iu_http_response, effective_url, 40);
IU_FROZEN_OFFSET(iu_host_api, struct_size, 0);
IU_FROZEN_OFFSET(iu_host_api, abi_major, 4);
IU_FROZEN_OFFSET(iu_host_api, abi_minor, 8);
IU_FROZEN_OFFSET(iu_host_api, host_version, 16);
IU_FROZEN_OFFSET(iu_host_api, log, 24);
IU_FROZEN_OFFSET(iu_host_api, set_error, 32);
IU_FROZEN_OFFSET(iu_host_api, cancelled, 40);
IU_FROZEN_OFFSET(iu_host_api, remaining_ms, 48);
IU_FROZEN_OFFSET(iu_host_api, config_get, 56);
IU_FROZEN_OFFSET(iu_host_api, http, 64);
IU_FROZEN_OFFSET(iu_host_api, resolve_secret, 72);
IU_FROZEN_OFFSET(iu_host_api, metric_declare, 80);
IU_FROZEN_OFFSET(iu_host_api, metric_update, 88);
IU_FROZEN_OFFSET(iu_host_api, log_enabled, 96);
IU_FROZEN_OFFSET(iu_config_key, struct_size, 0);
IU_FROZEN_OFFSET(iu_config_key, type, 4);
IU_FROZEN_OFFSET(iu_config_key, name, 8);
IU_FROZEN_OFFSET(iu_config_key, default_value, 16);
IU_FROZEN_OFFSET(iu_config_key, required, 24);
IU_FROZEN_OFFSET(iu_config_key, description, 32);
IU_FROZEN_OFFSET(iu_credentials, struct_size, 0);
IU_FROZEN_OFFSET(iu_credentials, username, 8);
IU_FROZEN_OFFSET(iu_credentials, password, 24);
IU_FROZEN_OFFSET(iu_credentials, identity, 40);
IU_FROZEN_OFFSET(iu_repo_request, struct_size, 0);
IU_FROZEN_OFFSET(iu_repo_request, repository, 8);
IU_FROZEN_OFFSET(iu_repo_request, credentials, 24);
IU_FROZEN_OFFSET(iu_tag_info, struct_size, 0);
IU_FROZEN_OFFSET(iu_tag_info, tag, 8);
IU_FROZEN_OFFSET(iu_tag_info, digest, 24);
IU_FROZEN_OFFSET(iu_tag_info, pushed_at_ms, 40);
IU_FROZEN_OFFSET(iu_tag_sink, struct_size, 0);
IU_FROZEN_OFFSET(iu_tag_sink, user, 8);
IU_FROZEN_OFFSET(iu_tag_sink, put, 16);
IU_FROZEN_OFFSET(iu_platform, os, 0);
IU_FROZEN_OFFSET(iu_platform, architecture, 16);
IU_FROZEN_OFFSET(iu_platform, variant, 32);
IU_FROZEN_OFFSET(iu_manifest_child, struct_size, 0);
IU_FROZEN_OFFSET(iu_manifest_child, digest, 8);
IU_FROZEN_OFFSET(iu_manifest_child, media_type, 24);
IU_FROZEN_OFFSET(iu_manifest_child, platform, 40);
IU_FROZEN_OFFSET(iu_manifest_info, struct_size, 0);
IU_FROZEN_OFFSET(iu_manifest_info, digest, 8);
IU_FROZEN_OFFSET(iu_manifest_info, media_type, 24);
IU_FROZEN_OFFSET(iu_manifest_info, is_index, 40);
IU_FROZEN_OFFSET(iu_manifest_info, children, 48);
IU_FROZEN_OFFSET(iu_manifest_info, child_count, 56);
IU_FROZEN_OFFSET(iu_manifest_info, children_stride, 64);
IU_FROZEN_OFFSET(iu_manifest_info, config_digest, 72);
IU_FROZEN_OFFSET(iu_manifest_sink, struct_size, 0);
IU_FROZEN_OFFSET(iu_manifest_sink, user, 8);
IU_FROZEN_OFFSET(iu_manifest_sink, put, 16);
IU_FROZEN_OFFSET(iu_image_config, struct_size, 0);
IU_FROZEN_OFFSET(iu_image_config, created, 8);
IU_FROZEN_OFFSET(iu_image_config, platform, 24);
IU_FROZEN_OFFSET(iu_image_config, labels, 72);
IU_FROZEN_OFFSET(iu_image_config, label_count, 80);
IU_FROZEN_OFFSET(iu_image_config_sink, struct_size, 0);
IU_FROZEN_OFFSET(iu_image_config_sink, user, 8);
IU_FROZEN_OFFSET(iu_image_config_sink, put, 16);
IU_FROZEN_OFFSET(iu_registry_vtable, struct_size, 0);
IU_FROZEN_OFFSET(iu_registry_vtable, create, 8);
IU_FROZEN_OFFSET(iu_registry_vtable, destroy, 16);
IU_FROZEN_OFFSET(iu_registry_vtable, list_tags, 24);
IU_FROZEN_OFFSET(iu_registry_vtable, get_manifest, 32);
IU_FROZEN_OFFSET(iu_registry_vtable, get_image_config, 40);
IU_FROZEN_OFFSET(iu_tag_candidate, struct_size, 0);
IU_FROZEN_OFFSET(iu_tag_candidate, tag, 8);
IU_FROZEN_OFFSET(iu_tag_candidate, created_ms, 24);
IU_FROZEN_OFFSET(iu_tag_candidate, digest, 32);
IU_FROZEN_OFFSET(iu_tag_candidate, pushed_at_ms, 48);
IU_FROZEN_OFFSET(iu_select_request, struct_size, 0);
IU_FROZEN_OFFSET(iu_select_request, version, 8);
IU_FROZEN_OFFSET(iu_select_request, image, 24);
IU_FROZEN_OFFSET(iu_select_request, candidates, 40);
IU_FROZEN_OFFSET(iu_select_request, candidate_count, 48);
IU_FROZEN_OFFSET(iu_select_request, candidate_stride, 56);
IU_FROZEN_OFFSET(iu_select_request, max_results, 64);
IU_FROZEN_OFFSET(iu_strategy_vtable, struct_size, 0);
IU_FROZEN_OFFSET(iu_strategy_vtable, needs, 4);
IU_FROZEN_OFFSET(iu_strategy_vtable, result, 8);
IU_FROZEN_OFFSET(iu_strategy_vtable, platforms, 12);
IU_FROZEN_OFFSET(iu_strategy_vtable, create, 16);
IU_FROZEN_OFFSET(iu_strategy_vtable, destroy, 24);
IU_FROZEN_OFFSET(iu_strategy_vtable, validate, 32);
IU_FROZEN_OFFSET(iu_strategy_vtable, rank, 40);
IU_FROZEN_OFFSET(iu_sched_job, struct_size, 0);
IU_FROZEN_OFFSET(iu_sched_job, app_namespace, 8);
IU_FROZEN_OFFSET(iu_sched_job, app_name, 24);
IU_FROZEN_OFFSET(iu_sched_job, repository, 40);
IU_FROZEN_OFFSET(iu_sched_job, last_attempt_ms, 56);
IU_FROZEN_OFFSET(iu_sched_job, last_success_ms, 64);
IU_FROZEN_OFFSET(iu_sched_job, last_failure_ms, 72);
IU_FROZEN_OFFSET(iu_sched_job, last_result, 80);
IU_FROZEN_OFFSET(iu_sched_request, struct_size, 0);
IU_FROZEN_OFFSET(iu_sched_request, now_ms, 8);
IU_FROZEN_OFFSET(iu_sched_request, jobs, 16);
IU_FROZEN_OFFSET(iu_sched_request, job_count, 24);
IU_FROZEN_OFFSET(iu_sched_request, job_stride, 32);
IU_FROZEN_OFFSET(iu_scheduler_vtable, struct_size, 0);
IU_FROZEN_OFFSET(iu_scheduler_vtable, create, 8);
IU_FROZEN_OFFSET(iu_scheduler_vtable, destroy, 16);
IU_FROZEN_OFFSET(iu_scheduler_vtable, order, 24);
IU_FROZEN_OFFSET(iu_image_change, struct_size, 0);
IU_FROZEN_OFFSET(iu_image_change, alias, 8);
IU_FROZEN_OFFSET(iu_image_change, image_name, 24);
IU_FROZEN_OFFSET(iu_image_change, old_tag, 40);
IU_FROZEN_OFFSET(iu_image_change, new_tag, 56);
IU_FROZEN_OFFSET(iu_image_change, new_digest, 72);
IU_FROZEN_OFFSET(iu_image_change, target, 88);
IU_FROZEN_OFFSET(iu_image_change, target_count, 96);
IU_FROZEN_OFFSET(iu_write_intent, struct_size, 0);
IU_FROZEN_OFFSET(iu_write_intent, app_namespace, 8);
IU_FROZEN_OFFSET(iu_write_intent, app_name, 24);
IU_FROZEN_OFFSET(iu_write_intent, method, 40);
IU_FROZEN_OFFSET(iu_write_intent, settings, 56);
IU_FROZEN_OFFSET(iu_write_intent, setting_count, 64);
IU_FROZEN_OFFSET(iu_write_intent, changes, 72);
IU_FROZEN_OFFSET(iu_write_intent, change_count, 80);
IU_FROZEN_OFFSET(iu_write_intent, changes_stride, 88);
IU_FROZEN_OFFSET(iu_write_intent, application, 96);
IU_FROZEN_OFFSET(iu_write_result, struct_size, 0);
IU_FROZEN_OFFSET(iu_write_result, intent_index, 8);
IU_FROZEN_OFFSET(iu_write_result, status, 16);
IU_FROZEN_OFFSET(iu_write_result, message, 24);
IU_FROZEN_OFFSET(iu_write_result, changes_applied, 40);
IU_FROZEN_OFFSET(iu_write_result_sink, struct_size, 0);
IU_FROZEN_OFFSET(iu_write_result_sink, user, 8);
IU_FROZEN_OFFSET(iu_write_result_sink, put, 16);
IU_FROZEN_OFFSET(iu_current_value, struct_size, 0);
IU_FROZEN_OFFSET(iu_current_value, change_index, 8);
IU_FROZEN_OFFSET(iu_current_value, image_name, 16);
IU_FROZEN_OFFSET(iu_current_value, tag, 32);
IU_FROZEN_OFFSET(iu_current_value, digest, 48);
IU_FROZEN_OFFSET(iu_current_sink, struct_size, 0);
IU_FROZEN_OFFSET(iu_current_sink, user, 8);
IU_FROZEN_OFFSET(iu_current_sink, put, 16);
IU_FROZEN_OFFSET(iu_writeback_vtable, struct_size, 0);
IU_FROZEN_OFFSET(iu_writeback_vtable, create, 8);
IU_FROZEN_OFFSET(iu_writeback_vtable, destroy, 16);
IU_FROZEN_OFFSET(iu_writeback_vtable, batch_key, 24);
IU_FROZEN_OFFSET(iu_writeback_vtable, write_batch, 32);
IU_FROZEN_OFFSET(iu_writeback_vtable, read_current, 40);
IU_FROZEN_OFFSET(iu_factory, struct_size, 0);
IU_FROZEN_OFFSET(iu_factory, kind, 4);
IU_FROZEN_OFFSET(iu_factory, type_name, 8);
IU_FROZEN_OFFSET(iu_factory, description, 16);
IU_FROZEN_OFFSET(iu_factory, flags, 24);
IU_FROZEN_OFFSET(iu_factory, vtable, 32);
IU_FROZEN_OFFSET(iu_factory, config_keys, 40);
IU_FROZEN_OFFSET(iu_factory, config_key_count, 48);
IU_FROZEN_OFFSET(iu_factory, aliases, 56);
IU_FROZEN_OFFSET(iu_factory, alias_count, 64);
IU_FROZEN_OFFSET(iu_plugin_descriptor, struct_size, 0);
IU_FROZEN_OFFSET(iu_plugin_descriptor, abi_major, 4);
IU_FROZEN_OFFSET(iu_plugin_descriptor, abi_minor, 8);
IU_FROZEN_OFFSET(iu_plugin_descriptor, plugin_name, 16);
IU_FROZEN_OFFSET(iu_plugin_descriptor, plugin_version, 24);
IU_FROZEN_OFFSET(iu_plugin_descriptor, factories, 32);
IU_FROZEN_OFFSET(iu_plugin_descriptor, factory_count, 40);
IU_FROZEN_OFFSET(iu_plugin_query, struct_size, 0);
IU_FROZEN_OFFSET(iu_plugin_query, host_abi_major, 4);
IU_FROZEN_OFFSET(iu_plugin_query, host_abi_minor, 8);
IU_FROZEN_OFFSET(iu_plugin_query, host, 16);

TEST(AbiLayout, VersionIsOnePointZero) {
  EXPECT_EQ(IU_ABI_MAJOR, 1);
  EXPECT_EQ(IU_ABI_MINOR, 0);
  EXPECT_STREQ(IU_PLUGIN_ENTRY_SYMBOL, "iu_plugin_entry");
}

TEST(AbiLayout, StatusCodesAreFrozen) {
  EXPECT_EQ(IU_STATUS_OK, 0);
  EXPECT_EQ(IU_STATUS_NOT_FOUND, 1);
  EXPECT_EQ(IU_STATUS_UNAUTHENTICATED, 2);
  EXPECT_EQ(IU_STATUS_RATE_LIMITED, 3);
  EXPECT_EQ(IU_STATUS_TRANSIENT, 4);
  EXPECT_EQ(IU_STATUS_CONFLICT, 5);
  EXPECT_EQ(IU_STATUS_INVALID_ARGUMENT, 6);
  EXPECT_EQ(IU_STATUS_UNSUPPORTED, 7);
  EXPECT_EQ(IU_STATUS_INTERNAL, 8);
  EXPECT_EQ(IU_STATUS_CANCELLED, 9);
  EXPECT_EQ(IU_KIND_REGISTRY, 1);
  EXPECT_EQ(IU_KIND_STRATEGY, 2);
  EXPECT_EQ(IU_KIND_SCHEDULER, 3);
  EXPECT_EQ(IU_KIND_WRITEBACK, 4);
}

TEST(AbiLayout, ElementMacroUsesTheGivenStride) {
  struct Grown {
    iu_tag_candidate base;
    uint64_t extra;
  } arr[2] = {};
  arr[1].base.created_ms = 42;
  const auto* second = IU_ELEMENT(iu_tag_candidate, arr, sizeof(Grown), 1);
  EXPECT_EQ(second->created_ms, 42);
}
