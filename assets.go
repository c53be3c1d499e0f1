package errref

import "embed"

// Assets holds templates/ and static/, embedded so that the binary builds
// the site from any folder. errref serve may pass os.DirFS of the source
// tree instead (RenderOptions.Assets) to pick up edits without recompiling.
//
//go:embed templates static
var Assets embed.FS
