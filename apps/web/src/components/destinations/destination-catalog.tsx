"use client";
// The destination catalogue: every destination in the registry, searchable by name, description or what it
// writes, each with its documentation. Choosing one opens its settings form.
import { Search, SearchX } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { connectorIcon } from "@/components/sources/connector-icon";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { DestinationDocs } from "./destination-docs";
import type { DestinationType } from "./destination-types";

export function DestinationCatalog({ types, hrefFor }: { types: DestinationType[]; hrefFor: (slug: string) => string }) {
  const [query, setQuery] = useState("");
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = types.filter((t) => {
    const text = [t.name, t.slug, t.description, ...t.objects.flatMap((o) => [o.label, o.name])].join(" ").toLowerCase();
    return words.every((w) => text.includes(w));
  });
  return (
    <div>
      <div className="relative max-w-md">
        <Search className="pointer-events-none absolute top-2.5 left-3 size-4 text-zinc-400" aria-hidden />
        <input
          type="search"
          aria-label="Search destinations"
          placeholder="Search destinations, e.g. CRM, contacts, webhook"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          className="block w-full rounded-lg border-0 bg-white py-2 pr-3 pl-9 text-sm text-zinc-900 shadow-sm ring-1 ring-zinc-300 ring-inset placeholder:text-zinc-400 focus:ring-2 focus:ring-brand-500 focus:outline-none"
        />
      </div>
      <p className="mt-2 text-xs text-zinc-500" aria-live="polite">
        {shown.length === types.length ? `${types.length} destinations` : `${shown.length} of ${types.length} destinations`}
      </p>
      {shown.length === 0 ? (
        <Card className="mt-4">
          <EmptyState icon={SearchX} title="No destination matches">
            Nothing matches “{query}”. Try a product name or what it stores, like “contacts” — or use the webhook to send records
            to any HTTP endpoint.
          </EmptyState>
        </Card>
      ) : (
        <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Destinations">
          {shown.map((t) => {
            const Icon = connectorIcon(t.slug, "destination");
            return (
              <li key={t.slug}>
                <Card className="flex h-full flex-col p-5" data-testid="catalog-card">
                  <div className="flex items-center gap-3">
                    <span className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-brand-50 ring-1 ring-brand-100">
                      <Icon className="size-5 text-brand-600" aria-hidden />
                    </span>
                    <h3 className="text-sm font-semibold text-zinc-900">{t.name}</h3>
                  </div>
                  <p className="mt-3 text-sm text-zinc-500">{t.description}</p>
                  <div className="mt-3">
                    <p className="text-xs font-medium text-zinc-500">Writes</p>
                    <ul className="mt-1 flex flex-wrap gap-1.5">
                      {t.objects.map((o) => (
                        <li key={o.name} title={o.description ?? undefined}>
                          <Badge>{o.label}</Badge>
                        </li>
                      ))}
                    </ul>
                  </div>
                  <div className="mt-3">
                    <DestinationDocs docs={t.docs} shown={1} />
                  </div>
                  <div className="mt-auto pt-4">
                    <Link
                      href={hrefFor(t.slug)}
                      className="inline-flex h-8 items-center rounded-lg bg-brand-600 px-3 text-xs font-medium text-white shadow-sm hover:bg-brand-700"
                      aria-label={`Set up ${t.name}`}
                    >
                      Set up
                    </Link>
                  </div>
                </Card>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
