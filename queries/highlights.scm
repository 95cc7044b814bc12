; Highlighting for Dockerfiles and Containerfiles (grammar: tree-sitter-containerfile).
; dockerfile-ls derives its semantic tokens from these captures; every capture name here has
; a token type in server/src/analysis/semantic_tokens.rs, and a test keeps the two in step.
; When two patterns capture the same node, the later one wins; an inner node wins over the
; node around it.

; Instruction keywords, and the words BuildKit reads as keywords inside instructions.
[
  "ADD"
  "ARG"
  "CMD"
  "COPY"
  "ENTRYPOINT"
  "ENV"
  "EXPOSE"
  "FROM"
  "HEALTHCHECK"
  "LABEL"
  "ONBUILD"
  "RUN"
  "SHELL"
  "STOPSIGNAL"
  "USER"
  "VOLUME"
  "WORKDIR"
  "AS"
  "NONE"
] @keyword

(maintainer_instruction
  "MAINTAINER" @keyword.deprecated)

(comment) @comment

; Flags: `--platform=...`, `--from=...`, `--mount=type=cache,target=...`.
(param) @parameter

(mount_param) @parameter

(mount_param_param) @property

; Images and stages.
(image_spec
  name: (image_name) @type)

[
  (image_tag)
  (image_digest)
] @constant

(image_alias) @label.declaration

; Strings, and the delimiters of heredocs.
[
  (double_quoted_string)
  (single_quoted_string)
  (json_string)
] @string

(escape_sequence) @string.escape

[
  (heredoc_marker)
  (heredoc_end)
] @string.delimiter

; Variables: declared by ARG and ENV, expanded with `$NAME` and `${NAME...}`.
(arg_pair
  name: (unquoted_string) @variable.declaration)

(env_pair
  name: (unquoted_string) @variable.declaration)

(expansion
  (variable) @variable)

((variable) @variable.builtin
  (#any-of? @variable.builtin
    "BUILDPLATFORM" "BUILDOS" "BUILDARCH" "BUILDVARIANT"
    "TARGETPLATFORM" "TARGETOS" "TARGETARCH" "TARGETVARIANT"
    "HTTP_PROXY" "http_proxy" "HTTPS_PROXY" "https_proxy"
    "FTP_PROXY" "ftp_proxy" "NO_PROXY" "no_proxy" "ALL_PROXY" "all_proxy"))

(expansion
  [
    "$"
    "{"
    "}"
  ] @operator)

(expansion_operator) @operator

; Keys and ports.
(label_pair
  key: (_) @property)

(expose_port) @number

; Punctuation that carries meaning: `=` between keys and values, `:`/`@` in image references,
; JSON brackets, and the escape character that continues a line.
[
  "="
  ":"
  "@"
] @operator

(json_string_array
  [
    "["
    "]"
    ","
  ] @operator)

(line_continuation) @operator
