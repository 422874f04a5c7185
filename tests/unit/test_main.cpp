#define BOOST_TEST_MODULE gpuhost
#include <boost/test/unit_test.hpp>
