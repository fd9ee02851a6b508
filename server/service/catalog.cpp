// See catalog.hpp.
#include "service/catalog.hpp"
