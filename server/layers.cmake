# The server's layers, for cmake/check_layers.cmake (see server/CMakeLists.txt
# and docs/development.md "Layers of the server"):
#   app -> anything; http, tls -> service, auth, base, shared;
#   service, auth -> db, base, shared; db -> base, shared; base -> shared.
# base is config/, log/, support/. <pqxx/...> only in db/.
set(layer_config base)
set(layer_log base)
set(layer_support base)
set(layer_db db)
set(layer_service service)
set(layer_auth service)
set(layer_http http)
set(layer_tls http)
set(layer_app app)
set(layer_salespider shared)  # <salespider/shared/...>, the generated version.hpp

set(allowed_base "base;shared")
set(allowed_db "db;base;shared")
set(allowed_service "service;db;base;shared")
set(allowed_http "http;service;base;shared")
set(allowed_app "app;http;service;db;base;shared")

set(only_in "pqxx/")
set(only_in_pqxx/ db)
