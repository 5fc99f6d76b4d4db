#!/usr/bin/env node
// The `sluice` command. Sluice's packages are TypeScript source, so tsx is registered first to load them.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
