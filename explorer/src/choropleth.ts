/*
 * Screen geometry for the map: a Mercator projection fitted to the areas, each area's SVG path,
 * and the color class of a count. Hand-rolled rather than d3-geo: the city is small enough that
 * plain Mercator needs no clipping or resampling, and dropping points closer than half a pixel
 * cuts the community areas' 52,000 vertices (and d3's ~1 s of projecting on a slow machine) to a
 * path the browser draws at once. Paths are computed once per boundary set.
 */
import type { Area, Position } from './areas.js';

export const MAP_WIDTH = 420;
export const MAP_HEIGHT = 480;
const MARGIN = 4;
/** Vertices closer than this (in map units, about a pixel) to the last one drawn are dropped. */
const MIN_STEP = 0.5;

export interface DrawnArea extends Area {
  d: string;
}

export interface Drawing {
  areas: DrawnArea[];
  project(longitude: number, latitude: number): [number, number];
}

/** Spherical Mercator, unscaled: x grows east, y grows north. */
function mercator(longitude: number, latitude: number): [number, number] {
  const radians = (latitude * Math.PI) / 180;
  return [(longitude * Math.PI) / 180, Math.log(Math.tan(Math.PI / 4 + radians / 2))];
}

function ringsOf(geometry: Area['geometry']): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

export function drawAreas(areas: Area[]): Drawing {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const area of areas) {
    for (const ring of ringsOf(area.geometry)) {
      for (const [longitude, latitude] of ring) {
        const [x, y] = mercator(longitude, latitude);
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
  }
  const scale = Math.min((MAP_WIDTH - 2 * MARGIN) / (maxX - minX || 1), (MAP_HEIGHT - 2 * MARGIN) / (maxY - minY || 1));
  // Centered in the frame; screen y grows downwards.
  const offsetX = (MAP_WIDTH - (maxX - minX) * scale) / 2;
  const offsetY = (MAP_HEIGHT - (maxY - minY) * scale) / 2;
  const project = (longitude: number, latitude: number): [number, number] => {
    const [x, y] = mercator(longitude, latitude);
    return [offsetX + (x - minX) * scale, offsetY + (maxY - y) * scale];
  };
  const pathOf = (geometry: Area['geometry']) => {
    const parts: string[] = [];
    for (const ring of ringsOf(geometry)) {
      let last: [number, number] | undefined;
      const points: string[] = [];
      ring.forEach(([longitude, latitude], index) => {
        const at = project(longitude, latitude);
        const isEnd = index === ring.length - 1;
        if (last && !isEnd && Math.abs(at[0] - last[0]) < MIN_STEP && Math.abs(at[1] - last[1]) < MIN_STEP) return;
        points.push(`${at[0].toFixed(1)},${at[1].toFixed(1)}`);
        last = at;
      });
      if (points.length >= 3) parts.push(`M${points.join('L')}Z`);
    }
    return parts.join('');
  };
  return { areas: areas.map((area) => ({ ...area, d: pathOf(area.geometry) })), project };
}

/** Sequential blues, light to dark; light enough at the low end that outlines stay visible. */
export const SHADES = ['#eef3fa', '#c9dbef', '#9ac4e0', '#5f9fd0', '#2f78b8', '#0d4d8f', '#072f5f'];

/** The shade of a count: square-root classes so that one busy area does not wash out the rest. */
export function shadeOf(count: number, max: number): string {
  if (!count || max <= 0) return SHADES[0]!;
  const share = Math.sqrt(count / max);
  return SHADES[Math.min(SHADES.length - 1, 1 + Math.floor(share * (SHADES.length - 1)))]!;
}
