// Settings that name backends (force_backend, preferred_backend,
// backend_priority) are checked against the backends gpuhost knows: the ones
// the loaded plugins declare, and the ones an inventory's records name.
#pragma once
#include "../detect/inventory.hpp"
#include "../plugins/plugin_set.hpp"
#include "selection.hpp"

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace gpuhost {

// The plugins' declared backends (manifest order), then any other backend a
// record of `inventory` names (a recording made with a plugin not here).
std::vector<std::string> known_backends(const PluginSet &plugins, const Inventory *inventory = nullptr);

// "" when every backend `key`'s value names is known (auto and "" always are);
// else the first unknown name, as a sentence listing the known ones.
std::string unknown_backend_setting(const std::string &key, const boost::json::value &value,
                                    const std::vector<std::string> &known);

// The same for the three backend settings of a policy.
std::string unknown_backend_in(const Policy &policy, const std::vector<std::string> &known);

}  // namespace gpuhost
