# iu_add_plugin(<target> SOURCES <src>... [LIBS <lib>...] [OUTPUT_DIR <dir>])
#
# Builds an argocd-image-updater plugin: a MODULE library named <target>.so (no "lib" prefix)
# compiled against the SDK with hidden visibility, so that only iu_plugin_entry is exported and
# the SDK's inline statics stay private to the plugin.
function(iu_add_plugin target)
  cmake_parse_arguments(P "" "OUTPUT_DIR" "SOURCES;LIBS" ${ARGN})
  add_library(${target} MODULE ${P_SOURCES})
  target_link_libraries(${target} PRIVATE ArgocdImageUpdater::sdk ${P_LIBS})
  target_compile_features(${target} PRIVATE cxx_std_20)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(P_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${P_OUTPUT_DIR})
  endif()
  # Export only iu_plugin_entry: static libraries linked into the plugin keep their symbols
  # private too (otherwise two plugins embedding different versions of one library would bind
  # to each other's code).
  target_link_options(${target} PRIVATE -Wl,--exclude-libs,ALL)
  # Refuse undefined symbols at link time: a plugin may only rely on the host table.
  if(NOT IU_SANITIZE)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
endfunction()
