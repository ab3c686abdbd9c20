// node-forge ships no types (it comes with @signpdf/signer-p12); tests use a few calls of it.
declare module 'node-forge'
