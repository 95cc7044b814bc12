-- dockerfile-ls, a language server for Dockerfiles and Containerfiles.
--
-- Neovim 0.11+: put this directory (editors/neovim) on 'runtimepath', or copy this file to
-- ~/.config/nvim/lsp/dockerfile_ls.lua, then:
--
--   vim.lsp.enable('dockerfile_ls')
--
-- Change anything with vim.lsp.config, which is merged over this file:
--
--   vim.lsp.config('dockerfile_ls', {
--     settings = { dockerfileLs = { rules = { MaintainerDeprecated = 'off' } } },
--   })
--
-- Settings (section dockerfileLs, all optional): rules (rule name or hadolint code ->
-- 'off' | 'hint' | 'info' | 'warning' | 'error'), ignore (list of rule names or hadolint codes),
-- targetStages (list of stage names built on their own).

---@type vim.lsp.Config
return {
  cmd = { 'dockerfile-ls' },
  filetypes = { 'dockerfile' },
  -- The repository if there is one, else the folder of the nearest Containerfile/Dockerfile.
  root_markers = { '.git', 'Containerfile', 'Dockerfile' },
  settings = {
    -- An empty dict, not {}: an empty Lua table would be sent as the JSON list [].
    dockerfileLs = vim.empty_dict(),
  },
}
