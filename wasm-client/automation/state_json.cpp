// state_json(): {ready, screen, version, tills_opened, error}.
#include "automation/state_json.hpp"

#include "automation/json_writer.hpp"

namespace salespider::automation {

std::string state_json(const state::AppState& state, std::string_view version)
{
    JsonWriter json;
    json.begin_object();
    json.key("ready").value(state.ready);
    json.key("screen").value(state::screen_name(state.screen));
    json.key("version").value(version);
    json.key("tills_opened").value(state.tills_opened);
    json.key("error");
    if (state.startup_error.empty())
        json.null();
    else
        json.value(state.startup_error);
    json.end_object();
    return json.str();
}

} // namespace salespider::automation
