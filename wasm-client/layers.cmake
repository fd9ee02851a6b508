# The till's layers, for cmake/check_layers.cmake: each folder is its own
# library (wasm-client/CMakeLists.txt, docs/development.md "The till's
# layers"), and may include the folders of the libraries it links, directly
# or through another: ui/ never store/, sync/ or platform/; only effects/
# (and main.cpp) see everything. Emscripten's headers only in platform/.
foreach(_folder json store sync state auth answers receipt automation ui platform effects)
  set(layer_${_folder} ${_folder})
endforeach()
set(layer_main.cpp main)
set(layer_salespider shared)  # "salespider/shared/..."

set(allowed_json "json")
set(allowed_store "store;json;shared")
set(allowed_sync "sync;store;json;shared")
set(allowed_state "state;json;shared")
set(allowed_auth "auth;state;json;shared")
set(allowed_answers "answers;state;json;shared")
set(allowed_receipt "receipt;state;json;shared")
set(allowed_automation "automation;state;json;shared")
set(allowed_ui "ui;state;json;shared")
set(allowed_platform "platform;store;sync;automation;state;json;shared")
set(allowed_effects "effects;ui;automation;auth;answers;receipt;sync;store;platform;state;json;shared")
set(allowed_main "main;effects;ui;automation;auth;answers;receipt;sync;store;platform;state;json;shared")

set(only_in "emscripten")
set(only_in_emscripten platform)
