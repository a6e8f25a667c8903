// Vite-specific module types for the renderer (CSS and asset imports).
/// <reference types="vite/client" />
