-- The Neovim editor test: a real headless Neovim (0.11+) with editors/neovim on 'runtimepath'
-- drives dockerfile-ls the way a user's config does. Run by editors/neovim/test/run, which sets:
--
--   DLS_NEOVIM_DIR   editors/neovim (put on 'runtimepath', as the README says)
--   DLS_FILE         the workspace copy of editors/testdata/Dockerfile (edited and written!)
--   DLS_OUT          where to write the JSON report
--   DLS_MODE         "enable": vim.lsp.config + vim.lsp.enable with the shipped lsp/dockerfile_ls.lua;
--                    "readme": the README's vim.lsp.start snippet for Neovim 0.8-0.10, run verbatim
--   DLS_TIMEOUT_MS   per-step timeout (default 15000)
--
-- `dockerfile-ls` must be on PATH: the shipped config names no path.
-- Exit status: 0 all checks passed, 1 a check failed, 2 a Lua error, 3 the watchdog fired.

local TIMEOUT = tonumber(os.getenv('DLS_TIMEOUT_MS') or '15000')
local NEOVIM_DIR = assert(os.getenv('DLS_NEOVIM_DIR'), 'DLS_NEOVIM_DIR')
local FILE = assert(os.getenv('DLS_FILE'), 'DLS_FILE')
local OUT = os.getenv('DLS_OUT') or (FILE .. '.result.json')
local MODE = os.getenv('DLS_MODE') or 'enable'

-- What the fixture makes the server say (0-based lines).
local MAINTAINER_LINE = 4
local FIXED_LINE = 'LABEL org.opencontainers.image.authors="张伟 🐳 <zhang.wei@example.com>"'
local FIX_TITLE = 'Replace with the org.opencontainers.image.authors label'
local COPY_LINE = 6
local FROM_LINE = 2

local results = { mode = MODE, checks = {}, ok = true }

local function check(name, ok, detail)
  table.insert(results.checks, { name = name, ok = ok and true or false, detail = detail })
  if not ok then
    results.ok = false
  end
  local text = type(detail) == 'string' and detail or vim.inspect(detail)
  io.stderr:write(string.format('[%s] %s %s\n', ok and 'PASS' or 'FAIL', name, (text:gsub('\n', ' '):sub(1, 160))))
  return ok
end

local function finish(code)
  local file = io.open(OUT, 'w')
  if file then
    file:write(vim.json.encode(results))
    file:close()
  end
  for _, client in ipairs(vim.lsp.get_clients()) do
    client:stop(true)
  end
  vim.wait(2000, function()
    return #vim.lsp.get_clients() == 0
  end, 20)
  vim.cmd(code == 0 and 'qall!' or ('cquit ' .. code))
end

-- As the README says: the package directory goes on 'runtimepath' (lsp/ and ftdetect/).
vim.opt.runtimepath:append(NEOVIM_DIR)

local function readme_snippet()
  -- The README's code block after the marker line, run as it stands.
  local text = table.concat(vim.fn.readfile(NEOVIM_DIR .. '/README.md'), '\n')
  local snippet = text:match('<!%-%- tested: vim%.lsp%.start %-%->%s*```lua\n(.-)\n```')
  assert(snippet, 'README.md has no block after <!-- tested: vim.lsp.start -->')
  return snippet
end

if MODE == 'enable' then
  -- A user's init.lua: settings merged over the shipped lsp/dockerfile_ls.lua, then enable.
  vim.lsp.config('dockerfile_ls', {
    settings = {
      dockerfileLs = {
        rules = { InvalidStageReference = 'warning' },
        ignore = { 'ReservedStageName' },
      },
    },
  })
  vim.lsp.enable('dockerfile_ls')
elseif MODE == 'readme' then
  assert(loadstring(readme_snippet(), 'README.md'))()
else
  error('DLS_MODE must be enable or readme, not ' .. MODE)
end

-- Diagnostics the server should end up showing, by rule, with their severity (false: must be
-- absent). Other rules may add findings of their own; these are the ones the checks rely on.
local expected = MODE == 'enable'
    and {
      MaintainerDeprecated = vim.diagnostic.severity.WARN,
      InvalidStageReference = vim.diagnostic.severity.WARN, -- raised from info by `rules`
      ReservedStageName = false, -- switched off by `ignore`
    }
  or {
    MaintainerDeprecated = vim.diagnostic.severity.WARN,
    InvalidStageReference = vim.diagnostic.severity.INFO,
    ReservedStageName = vim.diagnostic.severity.WARN, -- BuildKit builds it: a check, not an error
  }

local function diagnostics_by_code(bufnr)
  local found = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
    found[tostring(diagnostic.code)] = diagnostic
  end
  return found
end

local function matches(found, wanted)
  for code, severity in pairs(wanted) do
    if severity == false then
      if found[code] then
        return false
      end
    elseif not found[code] or found[code].severity ~= severity then
      return false
    end
  end
  return true
end

local function summary(found)
  local parts = {}
  for code, diagnostic in pairs(found) do
    table.insert(parts, string.format('%s(%d:%d sev %d)', code, diagnostic.lnum, diagnostic.col, diagnostic.severity))
  end
  table.sort(parts)
  return table.concat(parts, ' ')
end

local function hover_text(result)
  if not result or not result.contents then
    return ''
  end
  local contents = result.contents
  if type(contents) == 'string' then
    return contents
  end
  if contents.value then
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    table.insert(parts, type(part) == 'string' and part or part.value or '')
  end
  return table.concat(parts, '\n')
end

local function floating_windows()
  local windows = {}
  for _, window in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(window).relative ~= '' then
      table.insert(windows, window)
    end
  end
  return windows
end

local function run()
  local started = vim.uv.hrtime()
  vim.cmd.edit(vim.fn.fnameescape(FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  check('filetype', vim.bo[bufnr].filetype == 'dockerfile', vim.bo[bufnr].filetype)

  -- 1. The client attaches by itself (FileType autocmd of vim.lsp.enable or of the README).
  local attached = vim.wait(TIMEOUT, function()
    local client = vim.lsp.get_clients({ bufnr = bufnr })[1]
    return client ~= nil and client.initialized
  end, 20)
  local client = vim.lsp.get_clients({ bufnr = bufnr })[1]
  check('client_attached', attached, client and client.name or 'no client')
  if not attached then
    return finish(1)
  end
  results.server = client.server_info
  check('server_is_dockerfile_ls', client.server_info and client.server_info.name == 'dockerfile-ls', client.server_info)
  check('command_from_config', client.config.cmd[1] == 'dockerfile-ls', client.config.cmd)
  check('utf8_negotiated', client.offset_encoding == 'utf-8', client.offset_encoding)

  -- 2. Diagnostics (pulled by 0.11), with the settings applied.
  local ok = vim.wait(TIMEOUT, function()
    return matches(diagnostics_by_code(bufnr), expected)
  end, 20)
  local found = diagnostics_by_code(bufnr)
  results.diagnostics = summary(found)
  check('diagnostics', ok, results.diagnostics)

  -- The stage reference sits after CJK and emoji on its line: its byte column must match.
  local copy_text = vim.api.nvim_buf_get_lines(bufnr, COPY_LINE, COPY_LINE + 1, false)[1]
  local name_start = copy_text:find('nowhere', 1, true) - 1
  local reference = found.InvalidStageReference
  check(
    'utf8_diagnostic_columns',
    reference ~= nil and reference.lnum == COPY_LINE and reference.col == name_start and reference.end_col == name_start + 7,
    reference and string.format('%d:%d-%d, want %d:%d-%d', reference.lnum, reference.col, reference.end_col, COPY_LINE, name_start, name_start + 7)
      or 'missing'
  )

  -- 3. Hover: a raw request on FROM, then the real UI (vim.lsp.buf.hover's float) on the last
  -- letter of `--from=nowhere`, which a wrong position encoding would miss.
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = FROM_LINE, character = 1 } }
  local response = client:request_sync('textDocument/hover', params, TIMEOUT, bufnr)
  local from_hover = response and hover_text(response.result) or ''
  check('hover_keyword', from_hover:find('FROM [--platform=<platform>] <image>', 1, true) ~= nil, from_hover)

  vim.api.nvim_win_set_cursor(0, { COPY_LINE + 1, name_start + 6 })
  vim.lsp.buf.hover()
  local float_text = ''
  vim.wait(TIMEOUT, function()
    local window = floating_windows()[1]
    if window then
      float_text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(window), 0, -1, false), '\n')
    end
    return float_text:find('Copy from a build stage', 1, true) ~= nil
  end, 20)
  results.hover_float = float_text
  check('hover_float_on_flag', float_text:find('Copy from a build stage', 1, true) ~= nil, float_text)
  for _, window in ipairs(floating_windows()) do
    pcall(vim.api.nvim_win_close, window, true)
  end

  -- 4. The quick fix, through Neovim's own code-action UI path.
  vim.api.nvim_win_set_cursor(0, { MAINTAINER_LINE + 1, 0 })
  local offered = {}
  vim.lsp.buf.code_action({
    filter = function(action)
      table.insert(offered, action.title)
      return action.title == FIX_TITLE
    end,
    apply = true,
  })
  local applied = vim.wait(TIMEOUT, function()
    return vim.api.nvim_buf_get_lines(bufnr, MAINTAINER_LINE, MAINTAINER_LINE + 1, false)[1] == FIXED_LINE
  end, 20)
  results.code_actions = offered
  local line_after = vim.api.nvim_buf_get_lines(bufnr, MAINTAINER_LINE, MAINTAINER_LINE + 1, false)[1]
  check('quick_fix_applied', applied, line_after)
  check('other_lines_intact', vim.api.nvim_buf_line_count(bufnr) == 9
    and vim.api.nvim_buf_get_lines(bufnr, 5, 6, false)[1] == 'RUN echo "你好 🌍" > /hello.txt',
    vim.api.nvim_buf_get_lines(bufnr, 3, 6, false))

  local after = vim.deepcopy(expected)
  after.MaintainerDeprecated = false
  local cleared = vim.wait(TIMEOUT, function()
    return matches(diagnostics_by_code(bufnr), after)
  end, 20)
  results.diagnostics_after = summary(diagnostics_by_code(bufnr))
  check('diagnostic_cleared', cleared, results.diagnostics_after)

  vim.cmd('silent write')
  local disk = vim.fn.readfile(FILE)
  check('written_to_disk', disk[MAINTAINER_LINE + 1] == FIXED_LINE, disk[MAINTAINER_LINE + 1])

  -- 5. Code actions where Neovim asks for them: the cursor at column 0 of the first RUN of a
  -- pair, which has no finding of its own; the finding on `apk add` a few columns to the right
  -- reaches the server only through the line's diagnostics Neovim sends in the context.
  local root_dir = vim.fn.fnamemodify(FILE, ':h')
  local runs_file = root_dir .. '/runs/Dockerfile'
  vim.fn.mkdir(root_dir .. '/runs', 'p')
  vim.fn.writefile({ 'FROM alpine:3.20', 'RUN apk add curl', 'RUN echo done' }, runs_file)
  vim.cmd.edit(vim.fn.fnameescape(runs_file))
  local runs = vim.api.nvim_get_current_buf()
  local cache_found = vim.wait(TIMEOUT, function()
    return diagnostics_by_code(runs).PackageCacheNotCleaned ~= nil
  end, 20)
  check('run_pair_diagnostics', cache_found, summary(diagnostics_by_code(runs)))
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  local offered_on_run = {}
  vim.lsp.buf.code_action({
    filter = function(action)
      table.insert(offered_on_run, action.title)
      return action.title == 'Merge with the next RUN'
    end,
    apply = true,
  })
  local merged = { 'FROM alpine:3.20', 'RUN apk add curl \\', '    && echo done' }
  local merge_applied = vim.wait(TIMEOUT, function()
    return vim.deep_equal(vim.api.nvim_buf_get_lines(runs, 0, -1, false), merged)
  end, 20)
  results.code_actions_on_first_run = offered_on_run
  check('merge_from_first_run', merge_applied, vim.api.nvim_buf_get_lines(runs, 0, -1, false))
  check('cache_fix_at_column_0', vim.tbl_contains(offered_on_run, 'Clean the apk cache in this layer'), offered_on_run)
  vim.cmd('silent write')

  -- 6. File names: ftdetect/ fills what Neovim lacks, and the server attaches there too.
  local names = {
    ['Containerfile'] = 'dockerfile',
    ['app.containerfile'] = 'dockerfile',
    ['Containerfile.dev'] = 'dockerfile',
    ['Dockerfile.prod'] = 'dockerfile',
    ['web.dockerfile'] = 'dockerfile',
    ['Dockerfile.md'] = 'markdown',
  }
  local root = vim.fn.fnamemodify(FILE, ':h')
  local wrong = {}
  for name, filetype in pairs(names) do
    local detected = vim.filetype.match({ filename = root .. '/sub/' .. name })
    if detected ~= filetype then
      table.insert(wrong, string.format('%s -> %s (want %s)', name, tostring(detected), filetype))
    end
  end
  check('filetype_detection', #wrong == 0, #wrong == 0 and 'all names' or wrong)

  vim.cmd.edit(vim.fn.fnameescape(root .. '/sub/app.containerfile'))
  local other = vim.api.nvim_get_current_buf()
  local other_ok = vim.wait(TIMEOUT, function()
    return #vim.diagnostic.get(other) > 0
  end, 20)
  check('containerfile_served', other_ok and vim.bo[other].filetype == 'dockerfile',
    string.format('%s, %d diagnostics', vim.bo[other].filetype, #vim.diagnostic.get(other)))

  results.elapsed_ms = math.floor((vim.uv.hrtime() - started) / 1e6)
  finish(results.ok and 0 or 1)
end

-- Never hang CI.
vim.defer_fn(function()
  check('watchdog', false, 'overall timeout')
  finish(3)
end, TIMEOUT * 6)

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  nested = true, -- so :edit fires the FileType autocmds that start the client
  callback = function()
    local ok, err = xpcall(run, debug.traceback)
    if not ok then
      check('lua_error', false, tostring(err))
      finish(2)
    end
  end,
})
