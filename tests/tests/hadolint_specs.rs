//! hadolint's rule specs replayed for the shell and layer rules: for every "catches" and
//! "catches not" case of hadolint's `test/Hadolint/Rule/DLxxxxSpec.hs` (2.15) for these codes,
//! an equivalent fixture of our own, linted the way the project is measured (`FROM scratch` in
//! front of hadolint's FROM-less fragments; `onBuildRuleCatches` cases with every `RUN` made an
//! `ONBUILD RUN`). Prints how many cases agree per code, and fails when a case disagrees that
//! is not one of the deliberate differences the rules document, or when one of those starts to
//! agree (the table must say what the rules do).

use std::collections::BTreeMap;

use dockerfile_ls::knowledge::distros::AS_OF;
use dockerfile_ls::lint::{self, Settings};
use dockerfile_ls::syntax::{Keyword, SourceFile};

/// What hadolint's spec expects of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// `ruleCatches`: at least one finding of the code.
    Catches,
    /// `ruleCatchesNot`: none.
    CatchesNot,
    /// `onBuildRuleCatches`: exactly one, with every RUN an ONBUILD RUN.
    OnBuildCatches,
    /// `onBuildRuleCatchesNot`: none, with every RUN an ONBUILD RUN.
    OnBuildCatchesNot,
    /// `assertChecks ... (failsWith n)`: exactly n.
    Exactly(usize),
}

use Expect::*;

/// One case: the code, what hadolint expects, our fixture (hadolint's fragment, reworded),
/// and, where this project deliberately differs, why (the rule's documentation says so).
struct Case {
    code: &'static str,
    expect: Expect,
    fixture: &'static str,
    deliberate: Option<&'static str>,
}

const fn case(code: &'static str, expect: Expect, fixture: &'static str) -> Case {
    Case {
        code,
        expect,
        fixture,
        deliberate: None,
    }
}

const fn differs(
    code: &'static str,
    expect: Expect,
    fixture: &'static str,
    why: &'static str,
) -> Case {
    Case {
        code,
        expect,
        fixture,
        deliberate: Some(why),
    }
}

const BUILDER_ONBUILD: &str = "an ONBUILD RUN in a stage nothing is built from never runs";
const PIP_FALSY: &str =
    "pip disables its cache for any value of PIP_NO_CACHE_DIR, 0 and false included";

const CASES: &[Case] = &[
    // DL3001
    case("DL3001", Catches, "RUN top"),
    case("DL3001", OnBuildCatches, "RUN top"),
    case(
        "DL3001",
        CatchesNot,
        "RUN apt-get install openssh-client ssh",
    ),
    case(
        "DL3001",
        OnBuildCatchesNot,
        "RUN apt-get install openssh-client ssh",
    ),
    // DL3003
    case("DL3003", CatchesNot, "WORKDIR /srv"),
    case("DL3003", Catches, "RUN cd /srv"),
    // DL3004
    case("DL3004", Catches, "RUN sudo apt-get update"),
    case("DL3004", OnBuildCatches, "RUN sudo apt-get update"),
    case("DL3004", CatchesNot, "RUN apt-get install sudo"),
    case("DL3004", OnBuildCatchesNot, "RUN apt-get install sudo"),
    case(
        "DL3004",
        Catches,
        "RUN apt-get update && sudo apt-get install make",
    ),
    case(
        "DL3004",
        OnBuildCatches,
        "RUN apt-get update && sudo apt-get install make",
    ),
    // DL3014
    case("DL3014", Catches, "RUN apt-get install perl"),
    case("DL3014", OnBuildCatches, "RUN apt-get install perl"),
    case("DL3014", CatchesNot, "RUN apt-get install -yq perl"),
    case("DL3014", OnBuildCatchesNot, "RUN apt-get install -yq perl"),
    case("DL3014", CatchesNot, "RUN apt-get install -qq perl"),
    case("DL3014", OnBuildCatchesNot, "RUN apt-get install -qq perl"),
    case("DL3014", CatchesNot, "RUN apt-get install -y perl"),
    case("DL3014", OnBuildCatchesNot, "RUN apt-get install -y perl"),
    case("DL3014", CatchesNot, "RUN apt-get -y install perl"),
    case("DL3014", OnBuildCatchesNot, "RUN apt-get -y install perl"),
    case("DL3014", CatchesNot, "RUN apt-get --yes install perl"),
    case(
        "DL3014",
        OnBuildCatchesNot,
        "RUN apt-get --yes install perl",
    ),
    case(
        "DL3014",
        CatchesNot,
        "RUN apt-get --assume-yes install perl",
    ),
    case(
        "DL3014",
        OnBuildCatchesNot,
        "RUN apt-get --assume-yes install perl",
    ),
    // DL3015
    case(
        "DL3015",
        CatchesNot,
        "RUN apt-get install --no-install-recommends perl",
    ),
    case(
        "DL3015",
        OnBuildCatchesNot,
        "RUN apt-get install --no-install-recommends perl",
    ),
    case("DL3015", Catches, "RUN apt-get install perl"),
    case("DL3015", OnBuildCatches, "RUN apt-get install perl"),
    case("DL3015", Catches, "RUN apt-get -y install perl"),
    case("DL3015", OnBuildCatches, "RUN apt-get -y install perl"),
    case(
        "DL3015",
        CatchesNot,
        "RUN apt-get -o APT::Install-Recommends=false install perl",
    ),
    case(
        "DL3015",
        OnBuildCatchesNot,
        "RUN apt-get -o APT::Install-Recommends=false install perl",
    ),
    // DL3027
    case("DL3027", Catches, "FROM ubuntu\nRUN apt install perl"),
    case(
        "DL3027",
        OnBuildCatches,
        "FROM ubuntu\nRUN apt install perl",
    ),
    // DL3030
    case(
        "DL3030",
        Catches,
        "RUN yum install nginx-1.20.1 && yum clean all",
    ),
    case(
        "DL3030",
        OnBuildCatches,
        "RUN yum install nginx-1.20.1 && yum clean all",
    ),
    case(
        "DL3030",
        CatchesNot,
        "RUN yum install -y nginx-1.20.1 && yum clean all",
    ),
    case("DL3030", CatchesNot, "RUN bash -c `# no yum here`"),
    case(
        "DL3030",
        OnBuildCatchesNot,
        "RUN yum install -y nginx-1.20.1 && yum clean all",
    ),
    case("DL3030", OnBuildCatchesNot, "RUN bash -c `# no yum here`"),
    // DL3034
    case(
        "DL3034",
        Catches,
        "RUN zypper install nginx=1.21 && zypper clean",
    ),
    case(
        "DL3034",
        OnBuildCatches,
        "RUN zypper install nginx=1.21 && zypper clean",
    ),
    case(
        "DL3034",
        CatchesNot,
        "RUN zypper install -n nginx=1.21 && zypper clean",
    ),
    case(
        "DL3034",
        CatchesNot,
        "RUN zypper install --non-interactive nginx=1.21 && zypper clean",
    ),
    case(
        "DL3034",
        CatchesNot,
        "RUN zypper install -y nginx=1.21 && zypper clean",
    ),
    case(
        "DL3034",
        CatchesNot,
        "RUN zypper install --no-confirm nginx=1.21 && zypper clean",
    ),
    case(
        "DL3034",
        OnBuildCatchesNot,
        "RUN zypper install -n nginx=1.21 && zypper clean",
    ),
    case(
        "DL3034",
        OnBuildCatchesNot,
        "RUN zypper install --non-interactive nginx=1.21 && zypper clean",
    ),
    case(
        "DL3034",
        OnBuildCatchesNot,
        "RUN zypper install -y nginx=1.21 && zypper clean",
    ),
    case(
        "DL3034",
        OnBuildCatchesNot,
        "RUN zypper install --no-confirm nginx=1.21 && zypper clean",
    ),
    // DL3035
    case("DL3035", Catches, "RUN zypper dist-upgrade"),
    case("DL3035", Catches, "RUN zypper dup"),
    case("DL3035", OnBuildCatches, "RUN zypper dist-upgrade"),
    case("DL3035", OnBuildCatches, "RUN zypper dup"),
    // DL3038
    case(
        "DL3038",
        Catches,
        "RUN dnf install nginx-1.20.1 && dnf clean all",
    ),
    case(
        "DL3038",
        OnBuildCatches,
        "RUN dnf install nginx-1.20.1 && dnf clean all",
    ),
    case(
        "DL3038",
        CatchesNot,
        "RUN dnf install -y nginx-1.20.1 && dnf clean all",
    ),
    case("DL3038", CatchesNot, "RUN mydnf install nginx"),
    case(
        "DL3038",
        OnBuildCatchesNot,
        "RUN dnf install -y nginx-1.20.1 && dnf clean all",
    ),
    case("DL3038", OnBuildCatchesNot, "RUN mydnf install nginx"),
    // DL3046
    case("DL3046", CatchesNot, "RUN useradd builder"),
    case("DL3046", CatchesNot, "RUN useradd -u 54321 builder"),
    case("DL3046", CatchesNot, "RUN useradd -l -u 654321 builder"),
    case("DL3046", CatchesNot, "RUN useradd -l builder"),
    case("DL3046", Catches, "RUN useradd -u 654321 builder"),
    // DL3047
    case(
        "DL3047",
        Catches,
        "FROM node AS web\nRUN wget example.org/a.tgz",
    ),
    case(
        "DL3047",
        CatchesNot,
        "FROM node AS web\nRUN wget --progress=dot:giga example.org/a.tgz",
    ),
    case(
        "DL3047",
        CatchesNot,
        "FROM node AS web\nRUN wget -q example.org/a.tgz",
    ),
    case(
        "DL3047",
        CatchesNot,
        "FROM node AS web\nRUN wget --quiet example.org/a.tgz",
    ),
    case(
        "DL3047",
        CatchesNot,
        "FROM node AS web\nRUN wget -nv example.org/a.tgz",
    ),
    case(
        "DL3047",
        CatchesNot,
        "FROM node AS web\nRUN wget --no-verbose example.org/a.tgz",
    ),
    case(
        "DL3047",
        CatchesNot,
        "FROM node AS web\nRUN wget --output-file=/tmp/get.log example.org/a.tgz",
    ),
    case(
        "DL3047",
        CatchesNot,
        "FROM node AS web\nRUN wget -o /tmp/get.log example.org/a.tgz",
    ),
    case(
        "DL3047",
        CatchesNot,
        "FROM node AS web\nRUN wget --append-output=/tmp/get.log example.org/a.tgz",
    ),
    case(
        "DL3047",
        CatchesNot,
        "FROM node AS web\nRUN wget -a /tmp/get.log example.org/a.tgz",
    ),
    // DL4001
    case(
        "DL4001",
        Catches,
        "FROM node AS web\nRUN wget example.org/a\nRUN curl localhost:8080",
    ),
    case(
        "DL4001",
        Catches,
        "FROM node AS web\nRUN wget example.org/a && curl localhost:8080",
    ),
    case(
        "DL4001",
        CatchesNot,
        "FROM node AS web\nRUN wget example.org/a",
    ),
    case(
        "DL4001",
        CatchesNot,
        "FROM node AS web\nRUN wget example.org/a\nFROM scratch\nRUN curl localhost:8080",
    ),
    case(
        "DL4001",
        Catches,
        "FROM node AS web\nRUN wget example.org/a\nRUN curl localhost:8080\nFROM scratch\nRUN curl localhost:8080",
    ),
    case(
        "DL4001",
        Exactly(1),
        "FROM node AS web\nRUN wget example.org/a\nRUN curl example.org/b\nRUN echo done",
    ),
    case(
        "DL4001",
        Exactly(2),
        "FROM node AS web\nRUN wget example.org/a\nRUN curl example.org/b\nRUN echo done\nRUN wget example.org/c",
    ),
    // DL4005
    case("DL4005", Catches, "RUN ln -sfv /bin/bash /bin/sh"),
    case("DL4005", OnBuildCatches, "RUN ln -sfv /bin/bash /bin/sh"),
    case("DL4005", CatchesNot, "RUN ln -sf /bin/true /sbin/initctl"),
    case(
        "DL4005",
        OnBuildCatchesNot,
        "RUN ln -sf /bin/true /sbin/initctl",
    ),
    case(
        "DL4005",
        CatchesNot,
        "RUN ln -s a b && other && uses /bin/sh",
    ),
    case(
        "DL4005",
        OnBuildCatchesNot,
        "RUN ln -s a b && other && uses /bin/sh",
    ),
    // DL4006
    case(
        "DL4006",
        Catches,
        "FROM scratch\nRUN wget -O - https://example.org | wc -c > /size",
    ),
    case(
        "DL4006",
        CatchesNot,
        "FROM scratch AS build\nRUN wget -O - https://example.org && wc -c file > /size",
    ),
    case(
        "DL4006",
        CatchesNot,
        "FROM scratch AS build\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.org | wc -c > /size",
    ),
    case(
        "DL4006",
        CatchesNot,
        "FROM scratch AS build\nSHELL [\"/bin/bash\", \"-e\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.org | wc -c > /size",
    ),
    case(
        "DL4006",
        CatchesNot,
        "FROM scratch AS build\nSHELL [\"/bin/bash\", \"-o\", \"errexit\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.org | wc -c > /size",
    ),
    case(
        "DL4006",
        CatchesNot,
        "FROM scratch AS build\nSHELL [\"/bin/zsh\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.org | wc -c > /size",
    ),
    case(
        "DL4006",
        CatchesNot,
        "FROM scratch AS build\nSHELL [\"/usr/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.org | wc -c > /size",
    ),
    case(
        "DL4006",
        CatchesNot,
        "FROM scratch AS build\nSHELL [\"/usr/local/bin/zsh\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.org | wc -c > /size",
    ),
    case(
        "DL4006",
        CatchesNot,
        "FROM scratch AS build\nSHELL [\"pwsh\", \"-c\"]\nRUN Get-ChildItem | Select-Object -First 1",
    ),
    case(
        "DL4006",
        Catches,
        "FROM scratch AS build\nSHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.org | wc -c > /size",
    ),
    case(
        "DL4006",
        Catches,
        "FROM scratch AS build\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.org | wc -c > /size\nFROM scratch AS build2\nRUN wget -O - https://example.org | wc -c > /size",
    ),
    case(
        "DL4006",
        Catches,
        "FROM scratch AS build\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.org | wc -c > /size\nSHELL [\"/bin/sh\", \"-c\"]\nRUN wget -O - https://example.org | wc -c > /size",
    ),
    case(
        "DL4006",
        CatchesNot,
        "FROM mcr.microsoft.com/powershell:ubuntu-22.04\nSHELL [ \"pwsh\", \"-c\" ]\nRUN Get-ChildItem | Select-Object -First 1",
    ),
    case(
        "DL4006",
        CatchesNot,
        "FROM mcr.microsoft.com/powershell:ubuntu-22.04\nSHELL [ \"powershell.exe\" ]\nRUN Get-ChildItem | Select-Object -First 1",
    ),
    case(
        "DL4006",
        CatchesNot,
        "FROM mcr.microsoft.com/powershell:ubuntu-22.04\nSHELL [ \"cmd.exe\", \"/c\" ]\nRUN Get-ChildItem | Select-Object -First 1",
    ),
    // DL3059
    case("DL3059", CatchesNot, "FROM debian:12"),
    case("DL3059", CatchesNot, "RUN /one.sh"),
    case("DL3059", CatchesNot, "RUN /one.sh\nWORKDIR /\nRUN /two.sh"),
    case("DL3059", Catches, "RUN /one.sh\nRUN /two.sh"),
    case("DL3059", Catches, "RUN /one.sh\n# why\nRUN /two.sh"),
    case(
        "DL3059",
        Catches,
        "RUN /one.sh\n# why\n# and why not\nRUN /two.sh",
    ),
    case("DL3059", CatchesNot, "# why\nRUN /one.sh"),
    case(
        "DL3059",
        CatchesNot,
        "RUN --mount=type=secret,id=token /one.sh\nRUN /two.sh",
    ),
    case(
        "DL3059",
        CatchesNot,
        "RUN --mount=type=secret,id=token /one.sh\nRUN --mount=type=secret,id=key /two.sh",
    ),
    case(
        "DL3059",
        Catches,
        "RUN --mount=type=secret,id=token /one.sh\nRUN --mount=type=secret,id=token /two.sh",
    ),
    case(
        "DL3059",
        CatchesNot,
        "RUN make && make check\nRUN make install",
    ),
    case(
        "DL3059",
        CatchesNot,
        "RUN make; make check\nRUN make install",
    ),
    case(
        "DL3059",
        CatchesNot,
        "RUN make install\nRUN make && make check",
    ),
    case(
        "DL3059",
        CatchesNot,
        "RUN make install\nRUN make; make check",
    ),
    case(
        "DL3059",
        CatchesNot,
        "RUN make && make check\nRUN make; make check",
    ),
    case(
        "DL3059",
        Catches,
        "RUN make && make check\nRUN make install\nRUN make clean",
    ),
    // DL3009
    case(
        "DL3009",
        Catches,
        "FROM scratch\nRUN apt-get update && apt-get install perl",
    ),
    case(
        "DL3009",
        OnBuildCatches,
        "FROM scratch\nRUN apt-get update && apt-get install perl",
    ),
    case(
        "DL3009",
        CatchesNot,
        "FROM ubuntu AS tools\nRUN apt-get update && apt-get install perl\nFROM scratch\nRUN echo done",
    ),
    differs(
        "DL3009",
        OnBuildCatches,
        "FROM ubuntu AS tools\nRUN apt-get update && apt-get install perl\nFROM scratch\nRUN echo done",
        BUILDER_ONBUILD,
    ),
    case(
        "DL3009",
        Catches,
        "FROM ubuntu AS tools\nRUN echo first\nFROM scratch\nRUN apt-get update && apt-get install perl",
    ),
    case(
        "DL3009",
        OnBuildCatches,
        "FROM ubuntu AS tools\nRUN echo first\nFROM scratch\nRUN apt-get update && apt-get install perl",
    ),
    case(
        "DL3009",
        Catches,
        "FROM ubuntu AS tools\nRUN apt-get update && apt-get install perl\nFROM tools\nRUN echo done",
    ),
    case(
        "DL3009",
        OnBuildCatches,
        "FROM ubuntu AS tools\nRUN apt-get update && apt-get install perl\nFROM tools\nRUN echo done",
    ),
    case(
        "DL3009",
        CatchesNot,
        "FROM ubuntu AS tools\nRUN apt-get update && apt-get install perl && rm -rf /var/lib/apt/lists/*\nFROM tools\nRUN echo done",
    ),
    case(
        "DL3009",
        OnBuildCatchesNot,
        "FROM ubuntu AS tools\nRUN apt-get update && apt-get install perl && rm -rf /var/lib/apt/lists/*\nFROM tools\nRUN echo done",
    ),
    case(
        "DL3009",
        CatchesNot,
        "FROM ubuntu AS tools\nRUN apt-get update && apt-get install perl\nFROM scratch\nRUN echo other",
    ),
    differs(
        "DL3009",
        OnBuildCatches,
        "FROM ubuntu AS tools\nRUN apt-get update && apt-get install perl\nFROM scratch\nRUN echo other",
        BUILDER_ONBUILD,
    ),
    case(
        "DL3009",
        CatchesNot,
        "FROM scratch\nRUN apt-get update && apt-get install perl && rm -rf /var/lib/apt/lists/*",
    ),
    case(
        "DL3009",
        OnBuildCatchesNot,
        "FROM scratch\nRUN apt-get update && apt-get install perl && rm -rf /var/lib/apt/lists/*",
    ),
    case(
        "DL3009",
        CatchesNot,
        "RUN --mount=type=cache,target=/var/lib/apt/lists \\\n    apt-get update && apt-get install perl",
    ),
    case(
        "DL3009",
        OnBuildCatchesNot,
        "RUN --mount=type=cache,target=/var/lib/apt/lists \\\n    apt-get update && apt-get install perl",
    ),
    case(
        "DL3009",
        CatchesNot,
        "RUN --mount=type=cache,target=/var/lib/apt \\\n    --mount=type=cache,target=/var/cache/apt \\\n    rm -f /etc/apt/apt.conf.d/docker-clean && \\\n    apt-get update && apt-get install perl",
    ),
    case(
        "DL3009",
        OnBuildCatchesNot,
        "RUN --mount=type=cache,target=/var/lib/apt \\\n    --mount=type=cache,target=/var/cache/apt \\\n    rm -f /etc/apt/apt.conf.d/docker-clean && \\\n    apt-get update && apt-get install perl",
    ),
    case(
        "DL3009",
        CatchesNot,
        "RUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install make",
    ),
    case(
        "DL3009",
        OnBuildCatchesNot,
        "RUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install make",
    ),
    case(
        "DL3009",
        Catches,
        "RUN --mount=type=cache,target=/var/cache/apt \\\n    rm -f /etc/apt/apt.conf.d/docker-clean && \\\n    apt-get update && apt-get install perl",
    ),
    case(
        "DL3009",
        OnBuildCatches,
        "RUN --mount=type=cache,target=/var/cache/apt \\\n    rm -f /etc/apt/apt.conf.d/docker-clean && \\\n    apt-get update && apt-get install perl",
    ),
    case(
        "DL3009",
        Catches,
        "RUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install perl",
    ),
    case(
        "DL3009",
        OnBuildCatches,
        "RUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install perl",
    ),
    // DL3019
    case("DL3019", Catches, "RUN apk add bison=3.8.2-r1"),
    case("DL3019", OnBuildCatches, "RUN apk add bison=3.8.2-r1"),
    case(
        "DL3019",
        CatchesNot,
        "RUN apk add --no-cache bison=3.8.2-r1",
    ),
    case(
        "DL3019",
        OnBuildCatchesNot,
        "RUN apk add --no-cache bison=3.8.2-r1",
    ),
    case(
        "DL3019",
        CatchesNot,
        "RUN --mount=type=cache,target=/var/cache/apk apk add -U git=2.40.1-r0",
    ),
    case(
        "DL3019",
        OnBuildCatchesNot,
        "RUN --mount=type=cache,target=/var/cache/apk apk add -U git=2.40.1-r0",
    ),
    case(
        "DL3019",
        CatchesNot,
        "RUN --mount=type=cache,target=/var/cache/other apk add --no-cache -U git=2.40.1-r0",
    ),
    case(
        "DL3019",
        OnBuildCatchesNot,
        "RUN --mount=type=cache,target=/var/cache/other apk add --no-cache -U git=2.40.1-r0",
    ),
    case(
        "DL3019",
        Catches,
        "RUN --mount=type=cache,target=/var/cache/other apk add -U git=2.40.1-r0",
    ),
    case(
        "DL3019",
        OnBuildCatches,
        "RUN --mount=type=cache,target=/var/cache/other apk add -U git=2.40.1-r0",
    ),
    // DL3032
    case("DL3032", Catches, "RUN yum install -y postgresql-13"),
    case("DL3032", OnBuildCatches, "RUN yum install -y postgresql-13"),
    case(
        "DL3032",
        CatchesNot,
        "RUN yum install -y postgresql-13 && yum clean all",
    ),
    case("DL3032", CatchesNot, "RUN bash -c `# no yum here`"),
    case(
        "DL3032",
        OnBuildCatchesNot,
        "RUN yum install -y postgresql-13 && yum clean all",
    ),
    case("DL3032", OnBuildCatchesNot, "RUN bash -c `# no yum here`"),
    // DL3036
    case("DL3036", Catches, "RUN zypper install -y postgresql=13"),
    case(
        "DL3036",
        OnBuildCatches,
        "RUN zypper install -y postgresql=13",
    ),
    case(
        "DL3036",
        CatchesNot,
        "RUN zypper install -y postgresql=13 && zypper clean",
    ),
    case(
        "DL3036",
        CatchesNot,
        "RUN zypper install -y postgresql=13 && zypper cc",
    ),
    case(
        "DL3036",
        OnBuildCatchesNot,
        "RUN zypper install -y postgresql=13 && zypper clean",
    ),
    case(
        "DL3036",
        OnBuildCatchesNot,
        "RUN zypper install -y postgresql=13 && zypper cc",
    ),
    // DL3040
    case("DL3040", Catches, "RUN dnf install -y postgresql-13"),
    case("DL3040", Catches, "RUN microdnf install -y postgresql-13"),
    case("DL3040", OnBuildCatches, "RUN dnf install -y postgresql-13"),
    case(
        "DL3040",
        OnBuildCatches,
        "RUN dnf install -y postgresql-13 && microdnf clean all",
    ),
    case(
        "DL3040",
        OnBuildCatches,
        "RUN microdnf install -y postgresql-13",
    ),
    case(
        "DL3040",
        CatchesNot,
        "RUN dnf install -y postgresql-13 && dnf clean all",
    ),
    case(
        "DL3040",
        CatchesNot,
        "RUN microdnf install -y postgresql-13 && microdnf clean all",
    ),
    case("DL3040", CatchesNot, "RUN mydnf install postgresql"),
    case(
        "DL3040",
        OnBuildCatchesNot,
        "RUN dnf install -y postgresql-13 && dnf clean all",
    ),
    case(
        "DL3040",
        OnBuildCatchesNot,
        "RUN microdnf install -y postgresql-13 && microdnf clean all",
    ),
    case("DL3040", OnBuildCatchesNot, "RUN mydnf install postgresql"),
    differs(
        "DL3040",
        CatchesNot,
        "RUN dnf install -y postgresql-13 && rm -rf /var/cache/yum/*",
        "dnf keeps its cache in /var/cache/dnf: removing /var/cache/yum leaves it",
    ),
    case(
        "DL3040",
        CatchesNot,
        "RUN microdnf install -y postgresql-13 && rm -rf /var/cache/yum/*",
    ),
    differs(
        "DL3040",
        OnBuildCatchesNot,
        "RUN dnf install -y postgresql-13 && rm -rf /var/cache/yum/*",
        "dnf keeps its cache in /var/cache/dnf: removing /var/cache/yum leaves it",
    ),
    case(
        "DL3040",
        OnBuildCatchesNot,
        "RUN microdnf install -y postgresql-13 && rm -rf /var/cache/yum/*",
    ),
    differs(
        "DL3040",
        Catches,
        "microdnf clean all && RUN dnf install -y postgresql-13",
        "the spec's fragment is not a RUN: an unknown instruction runs nothing",
    ),
    // DL3042
    case("DL3042", Catches, "RUN pip2 install Flask"),
    case("DL3042", OnBuildCatches, "RUN pip2 install Flask"),
    case("DL3042", Catches, "RUN pip3 install Flask"),
    case("DL3042", OnBuildCatches, "RUN pip3 install Flask"),
    case("DL3042", Catches, "RUN pip install Flask"),
    case("DL3042", OnBuildCatches, "RUN pip install Flask"),
    case(
        "DL3042",
        CatchesNot,
        "RUN pip2 install Flask --no-cache-dir",
    ),
    case(
        "DL3042",
        OnBuildCatchesNot,
        "RUN pip2 install Flask --no-cache-dir",
    ),
    case(
        "DL3042",
        CatchesNot,
        "RUN pip3 install --no-cache-dir Flask",
    ),
    case(
        "DL3042",
        OnBuildCatchesNot,
        "RUN pip3 install --no-cache-dir Flask",
    ),
    case("DL3042", CatchesNot, "RUN pip install Flask --no-cache-dir"),
    case(
        "DL3042",
        OnBuildCatchesNot,
        "RUN pip install Flask --no-cache-dir",
    ),
    case("DL3042", CatchesNot, "RUN pipx install black"),
    case("DL3042", OnBuildCatchesNot, "Run pipx install black"),
    case("DL3042", CatchesNot, "RUN pipenv install requests"),
    case("DL3042", OnBuildCatchesNot, "RUN pipenv install requests"),
    case(
        "DL3042",
        CatchesNot,
        "ENV PIP_NO_CACHE_DIR=1\nRUN pip install Flask",
    ),
    case(
        "DL3042",
        CatchesNot,
        "ENV PIP_NO_CACHE_DIR=on\nRUN pip install Flask",
    ),
    case(
        "DL3042",
        CatchesNot,
        "ENV PIP_NO_CACHE_DIR=yes\nRUN pip install Flask",
    ),
    case(
        "DL3042",
        CatchesNot,
        "ENV PIP_NO_CACHE_DIR=true\nRUN pip install Flask",
    ),
    case(
        "DL3042",
        CatchesNot,
        "RUN PIP_NO_CACHE_DIR=1 pip install Flask",
    ),
    case(
        "DL3042",
        CatchesNot,
        "RUN PIP_NO_CACHE_DIR=on pip install Flask",
    ),
    case(
        "DL3042",
        CatchesNot,
        "RUN PIP_NO_CACHE_DIR=yes pip install Flask",
    ),
    case(
        "DL3042",
        CatchesNot,
        "RUN PIP_NO_CACHE_DIR=true pip install Flask",
    ),
    case(
        "DL3042",
        CatchesNot,
        "RUN export PIP_NO_CACHE_DIR=1 && pip install Flask",
    ),
    case(
        "DL3042",
        CatchesNot,
        "RUN export PIP_NO_CACHE_DIR=on && pip install Flask",
    ),
    case(
        "DL3042",
        CatchesNot,
        "RUN export PIP_NO_CACHE_DIR=yes && pip install Flask",
    ),
    case(
        "DL3042",
        CatchesNot,
        "RUN export PIP_NO_CACHE_DIR=true && pip install Flask",
    ),
    differs(
        "DL3042",
        Catches,
        "ENV PIP_NO_CACHE_DIR=0\nRUN pip install Flask",
        PIP_FALSY,
    ),
    differs(
        "DL3042",
        Catches,
        "ENV PIP_NO_CACHE_DIR=off\nRUN pip install Flask",
        PIP_FALSY,
    ),
    differs(
        "DL3042",
        Catches,
        "ENV PIP_NO_CACHE_DIR=no\nRUN pip install Flask",
        PIP_FALSY,
    ),
    differs(
        "DL3042",
        Catches,
        "ENV PIP_NO_CACHE_DIR=false\nRUN pip install Flask",
        PIP_FALSY,
    ),
    differs(
        "DL3042",
        Catches,
        "RUN PIP_NO_CACHE_DIR=0 pip install Flask",
        PIP_FALSY,
    ),
    differs(
        "DL3042",
        Catches,
        "RUN PIP_NO_CACHE_DIR=off pip install Flask",
        PIP_FALSY,
    ),
    differs(
        "DL3042",
        Catches,
        "RUN PIP_NO_CACHE_DIR=no pip install Flask",
        PIP_FALSY,
    ),
    differs(
        "DL3042",
        Catches,
        "RUN PIP_NO_CACHE_DIR=false pip install Flask",
        PIP_FALSY,
    ),
    differs(
        "DL3042",
        Catches,
        "RUN export PIP_NO_CACHE_DIR=0 && pip install Flask",
        PIP_FALSY,
    ),
    differs(
        "DL3042",
        Catches,
        "RUN export PIP_NO_CACHE_DIR=off && pip install Flask",
        PIP_FALSY,
    ),
    differs(
        "DL3042",
        Catches,
        "RUN export PIP_NO_CACHE_DIR=no && pip install Flask",
        PIP_FALSY,
    ),
    differs(
        "DL3042",
        Catches,
        "RUN export PIP_NO_CACHE_DIR=false && pip install Flask",
        PIP_FALSY,
    ),
    case(
        "DL3042",
        CatchesNot,
        "FROM debian:12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install requests",
    ),
    case(
        "DL3042",
        Catches,
        "FROM debian:12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM debian:12\nRUN pip install requests",
    ),
    // DL3060
    case("DL3060", CatchesNot, "RUN make"),
    case("DL3060", OnBuildCatchesNot, "RUN make"),
    case("DL3060", Catches, "RUN yarn install left-pad"),
    case("DL3060", OnBuildCatches, "RUN yarn install left-pad"),
    case(
        "DL3060",
        CatchesNot,
        "RUN yarn install left-pad && yarn cache clean",
    ),
    case(
        "DL3060",
        OnBuildCatchesNot,
        "RUN yarn install left-pad && yarn cache clean",
    ),
    case(
        "DL3060",
        Catches,
        "FROM node:lts-alpine AS deps\nRUN echo first\nFROM scratch\nRUN yarn install",
    ),
    case(
        "DL3060",
        OnBuildCatches,
        "FROM node:lts-alpine AS deps\nRUN echo first\nFROM scratch\nRUN yarn install",
    ),
    case(
        "DL3060",
        Catches,
        "FROM node:lts-alpine AS deps\nRUN yarn install\nFROM deps\nRUN echo done",
    ),
    case(
        "DL3060",
        OnBuildCatches,
        "FROM node:lts-alpine AS deps\nRUN yarn install\nFROM deps\nRUN echo done",
    ),
    case(
        "DL3060",
        CatchesNot,
        "FROM node:lts-alpine AS deps\nRUN yarn install && yarn cache clean\nFROM deps\nRUN echo done",
    ),
    case(
        "DL3060",
        OnBuildCatchesNot,
        "FROM node:lts-alpine AS deps\nRUN yarn install && yarn cache clean\nFROM deps\nRUN echo done",
    ),
    case(
        "DL3060",
        CatchesNot,
        "FROM node:lts-alpine AS deps\nRUN yarn install left-pad\nFROM scratch\nRUN echo done",
    ),
    differs(
        "DL3060",
        OnBuildCatches,
        "FROM node:lts-alpine AS deps\nRUN yarn install left-pad\nFROM scratch\nRUN echo done",
        BUILDER_ONBUILD,
    ),
];

/// The fixture as the project is measured: `FROM scratch` in front, and for the ONBUILD
/// cases every RUN made an `ONBUILD RUN` (as hadolint's test helper does).
fn dockerfile(case: &Case) -> String {
    let mut text = format!("FROM scratch\n{}\n", case.fixture);
    if matches!(case.expect, OnBuildCatches | OnBuildCatchesNot) {
        let source = SourceFile::parse(&text);
        let starts: Vec<usize> = source
            .instructions()
            .iter()
            .filter(|instruction| instruction.keyword == Keyword::Run)
            .map(|instruction| instruction.span.start)
            .collect();
        for start in starts.into_iter().rev() {
            text.insert_str(start, "ONBUILD ");
        }
    }
    text
}

/// How many findings answer to the case's code.
fn findings(case: &Case, text: &str) -> usize {
    let source = SourceFile::parse(text);
    lint::lint(&source, &Settings::default(), AS_OF)
        .iter()
        .filter(|diagnostic| diagnostic.code() == Some(case.code))
        .count()
}

fn agrees(expect: Expect, found: usize) -> bool {
    match expect {
        Catches => found >= 1,
        CatchesNot | OnBuildCatchesNot => found == 0,
        OnBuildCatches => found == 1,
        Exactly(count) => found == count,
    }
}

#[test]
fn hadolint_specs_agree_but_for_documented_differences() {
    // code -> (agree, cases)
    let mut tally: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut wrong = Vec::new();
    for case in CASES {
        let text = dockerfile(case);
        let found = findings(case, &text);
        let agree = agrees(case.expect, found);
        let entry = tally.entry(case.code).or_default();
        entry.1 += 1;
        if agree {
            entry.0 += 1;
        }
        match (agree, case.deliberate) {
            (true, Some(why)) => wrong.push(format!(
                "{} {:?} now agrees, though listed as a deliberate difference ({why}):\n{text}",
                case.code, case.expect
            )),
            (false, None) => wrong.push(format!(
                "{} {:?}: {found} findings on\n{text}",
                case.code, case.expect
            )),
            _ => {}
        }
    }
    let (agree, total) = tally
        .values()
        .fold((0, 0), |(a, t), (agree, total)| (a + agree, t + total));
    eprintln!("code     agree / cases");
    for (code, (agree, total)) in &tally {
        eprintln!("{code}   {agree:>5} / {total}");
    }
    eprintln!(
        "all      {agree:>5} / {total} ({:.1}%)",
        100.0 * agree as f64 / total as f64
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    assert!(
        agree * 10 >= total * 9,
        "fewer than 90% of hadolint's cases agree"
    );
}
