// xgrad-gradcheck: gradient-checks every op in op_db (or --op NAME).
#include "tools/gradcheck/gradcheck_main.h"
#include "ops/op_db.h"

int main(int argc, char** argv) { return xgrad::gradcheck_main(argc, argv, xgrad::op_db()); }
