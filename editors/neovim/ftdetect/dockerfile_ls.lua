-- Filetype detection for the names dockerfile-ls serves that Neovim does not know (0.11 lacks
-- *.containerfile; older versions also lack Containerfile and Containerfile.*).
-- A pattern has a negative priority, as in Neovim's own table, so a known extension wins:
-- Dockerfile.md stays markdown, Dockerfile.dev becomes dockerfile.
if not (vim.filetype and vim.filetype.add) then
  return
end
vim.filetype.add({
  extension = {
    containerfile = 'dockerfile',
    dockerfile = 'dockerfile',
  },
  filename = {
    Containerfile = 'dockerfile',
    Dockerfile = 'dockerfile',
  },
  pattern = {
    ['.*/Containerfile%.[^/]*'] = { 'dockerfile', { priority = -1 } },
    ['.*/Dockerfile%.[^/]*'] = { 'dockerfile', { priority = -1 } },
  },
})
