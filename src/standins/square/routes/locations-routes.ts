import { notFound } from '../square-errors.js';
import { okBody, type RouteHandler } from './route-context.js';

/** GET /v2/locations (ListLocations): every location of the seller, in one response (no paging). */
export const listLocations: RouteHandler = (_request, { account }) => okBody({ locations: [...account.locations.all()] });

export const getLocation: RouteHandler = (_request, { account }, [id]) => {
  // Square lets `main` stand for the main location.
  const index = id === 'main' ? 0 : account.locations.indexOf(id ?? '');
  if (index === null) throw notFound(`Location with ID \`${id}\` not found.`);
  return okBody({ location: account.locations.at(index) });
};
