/**
 * The Data Prep functions Tributary knows, with how many arguments each takes. An expression that calls
 * anything else is rejected when the mapping set is saved, not when a run meets it.
 */
export const functionArity: Record<string, readonly [min: number, max: number]> = {
  concat: [1, 64], explode: [1, 2], instr: [2, 4], replacestr: [3, 3], substr: [2, 3], lower: [1, 1], lcase: [1, 1],
  upper: [1, 1], ucase: [1, 1], split: [2, 2], join: [2, 64], lpad: [3, 3], rpad: [3, 3], left: [2, 2], right: [2, 2],
  ltrim: [1, 1], rtrim: [1, 1], trim: [1, 1], length: [1, 1], equals: [2, 2], equalsIgnoreCase: [2, 2],
  extract_regex: [2, 2], matches_regex: [2, 2],
  sha1: [1, 2], sha256: [1, 2], sha512: [1, 2], md5: [1, 2], crc32: [1, 1],
  get_url_protocol: [1, 1], get_url_host: [1, 1], get_url_port: [1, 1], get_url_path: [1, 1], get_url_query_str: [1, 1],
  get_url_encoded: [1, 1], get_url_decoded: [1, 1],
  now: [0, 0], timestamp: [0, 0], format: [2, 3], dformat: [2, 2], date: [1, 3], date_part: [2, 2], set_date_part: [3, 3],
  make_date_time: [7, 8], zone_date_to_utc: [2, 2], zone_date_to_zone: [2, 3],
  is_empty: [1, 1], arrays_to_object: [2, 64], to_object: [2, 64], str_to_object: [1, 3], contains_key: [1, 1],
  nullify: [0, 0], get_keys: [1, 1], get_values: [1, 1],
  coalesce: [1, 64], first: [1, 1], last: [1, 1], add_to_array: [2, 64], join_arrays: [2, 64], to_array: [2, 64], size_of: [1, 1],
  decode: [3, 64], iif: [3, 3], nvl: [2, 2], min: [1, 64], max: [1, 64],
  to_bigint: [1, 1], to_decimal: [1, 1], to_float: [1, 1], to_integer: [1, 1],
  json_to_object: [1, 1], uuid: [0, 0], guid: [0, 0],
};

/** Methods called on a value: `name.equals("x")`. */
export const methodArity: Record<string, readonly [number, number]> = {
  equals: [1, 1], equalsIgnoreCase: [1, 1], get: [1, 1], length: [0, 0],
};
