// The one Boost.Test module of xgrad; every tests/<folder>/test_<file>.cpp
// adds its suites to it.
#define BOOST_TEST_MODULE xgrad
#include <boost/test/unit_test.hpp>
