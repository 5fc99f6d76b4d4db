// "Test connection" for HubSpot: the token is a live private app token (and which scopes it has), then
// for each object: its properties can be read and the configured idProperty exists and identifies
// records uniquely. Messages say what to change, in HubSpot or in these settings.
import { z } from "zod";
import { CheckFailure, type ConnectionCheck, runSteps } from "../../kit/spec";
import { callHubSpot, HubSpotCallError } from "./api";
import { type HubSpotConfig, idPropertyFor } from "./config";
import { HUBSPOT_OBJECTS, scopesFor } from "./contract";
import { readProperties } from "./list-fields";

const TokenInfo = z.looseObject({ hubId: z.number().optional(), scopes: z.array(z.string()).optional() });
const PRIVATE_APPS = "HubSpot → Settings → Integrations → Private Apps → your app";

export async function testHubSpotConnection(config: HubSpotConfig, options: { allowPrivate: boolean }): Promise<ConnectionCheck> {
  let scopes: string[] | undefined;
  const missingFor = (object: string) => {
    const needed = Object.values(scopesFor(object));
    return scopes ? needed.filter((s) => !scopes?.includes(s)) : [];
  };
  return runSteps(
    [
      {
        name: "Authenticate",
        run: async () => {
          // Documented for private apps: the token's account and scopes, with the token in the body.
          const { response, json } = await callHubSpot(
            config,
            {
              method: "POST",
              path: "/oauth/v2/private-apps/get/access-token-info",
              body: { tokenKey: config.accessToken },
              auth: false,
            },
            options,
          );
          if (response.status === 400 || response.status === 401 || response.status === 403) {
            throw new CheckFailure(
              `HubSpot does not recognise this access token (HTTP ${response.status}). Copy it again from ${PRIVATE_APPS} → Access token (the app may have been deleted or its token rotated).`,
            );
          }
          const info = TokenInfo.safeParse(json);
          if (response.status !== 200 || !info.success) {
            return `Could not read the token's details (HTTP ${response.status}); the next steps check what it can do.`;
          }
          scopes = info.data.scopes;
          return `The token belongs to HubSpot account ${info.data.hubId ?? "(unknown)"}${scopes ? ` and has ${scopes.length} scopes` : ""}.`;
        },
      },
      {
        name: "Check scopes",
        run: async () => {
          if (!scopes) return "Scopes unknown; each object is checked below.";
          const usable = HUBSPOT_OBJECTS.filter((o) => missingFor(o).length === 0);
          if (usable.length === 0) {
            throw new CheckFailure(
              `The app cannot sync contacts or companies. In ${PRIVATE_APPS} → Scopes, grant ${HUBSPOT_OBJECTS.map((o) => Object.values(scopesFor(o)).join(", ")).join(" (contacts) and ")} (companies), as needed.`,
            );
          }
          return HUBSPOT_OBJECTS.map((o) => {
            const missing = missingFor(o);
            return missing.length === 0 ? `${o}: ready` : `${o}: missing ${missing.join(", ")} (needed only to sync ${o})`;
          }).join("; ");
        },
      },
      ...HUBSPOT_OBJECTS.map((object) => ({
        name: `Check ${object} properties`,
        run: async () => {
          if (scopes && missingFor(object).length > 0) return `Skipped: the app has no ${object} scopes.`;
          const idProperty = idPropertyFor(config, object);
          const properties = await readProperties(config, object, options);
          const id = properties.find((p) => p.name === idProperty);
          const setting = `${object}IdProperty`;
          if (!id) {
            throw new CheckFailure(
              `${object} have no property named "${idProperty}". Set ${setting} to an existing property's internal name (HubSpot → Settings → Properties shows it).`,
            );
          }
          // HubSpot matches records only on unique-value properties; contacts' email is its documented exception.
          if (!id.hasUniqueValue && !(object === "contacts" && idProperty === "email")) {
            throw new CheckFailure(
              `"${idProperty}" does not hold unique values in this account, so HubSpot cannot match ${object} on it. Set ${setting} to a property created with "Require unique values" on${object === "contacts" ? " (or email)" : ""}.`,
            );
          }
          const custom = properties.filter((p) => !p.modificationMetadata?.readOnlyValue).length;
          return `${properties.length} properties (${custom} writable); ${object} are matched on "${idProperty}".`;
        },
      })),
    ],
    (error) => (error instanceof CheckFailure || error instanceof HubSpotCallError ? error.message : String(error)),
  );
}
