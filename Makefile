# Builds the Lambda functions for `sam build` (BuildMethod: makefile): no Docker, the same Maven
# build as everywhere else. SAM calls build-<LogicalId> with ARTIFACTS_DIR set; each target
# packages one function module (and the modules it depends on) and unpacks its shaded jar there,
# which is the layout the Lambda Java runtime loads (classes and resources at the root).
#
# Needs a JDK 25 (JAVA_HOME, or Temurin 25 under /usr/lib/jvm) and Maven 3.8+.
#
# LAMBDA_ARCH selects the natives packed (ONNX Runtime, tokenizers, JNA): x86_64 (the template's
# default Architecture) or arm64; set it to the template's Architecture parameter, e.g.
#   sam build --parameter-overrides Architecture=arm64 && make ... LAMBDA_ARCH=arm64 (see README).

JAVA_HOME ?= $(firstword $(wildcard /usr/lib/jvm/temurin-25*))
export JAVA_HOME
MVN ?= mvn
MVN_FLAGS ?= -B -q -DskipTests
LAMBDA_ARCH ?= x86_64
ROOT := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))

define package_function
	@test -x "$(JAVA_HOME)/bin/jar" || { echo "make: JAVA_HOME must point to a JDK 25 (got '$(JAVA_HOME)')" >&2; exit 1; }
	cd "$(ROOT)" && $(MVN) $(MVN_FLAGS) -Dlambda.arch=$(LAMBDA_ARCH) -pl $(1) -am package
	@test -n "$(ARTIFACTS_DIR)" || { echo "make: ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 1; }
	mkdir -p "$(ARTIFACTS_DIR)"
	jar=$$(ls "$(ROOT)$(1)"/target/*-lambda.jar | head -n 1) && cd "$(ARTIFACTS_DIR)" && "$(JAVA_HOME)/bin/jar" xf "$$jar"
	rm -rf "$(ARTIFACTS_DIR)/META-INF/maven"
	@# jar keeps no file modes: the route function's exec wrapper must be executable again.
	if [ -f "$(ARTIFACTS_DIR)/stream-bootstrap" ]; then chmod 755 "$(ARTIFACTS_DIR)/stream-bootstrap"; fi
endef

.PHONY: build-RouteFunction build-RouteManagedFunction build-VerifyStepFunction build-ConsolidateStepFunction build-CuriosityStepFunction

build-RouteFunction:
	$(call package_function,functions/route)

build-VerifyStepFunction:
	$(call package_function,functions/consolidate)

build-ConsolidateStepFunction:
	$(call package_function,functions/consolidate)

build-CuriosityStepFunction:
	$(call package_function,functions/batch-curiosity)

build-RouteManagedFunction:
	$(call package_function,functions/route)
