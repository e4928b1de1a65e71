import { Db, Document } from 'mongodb';
import { useDriverClient } from '../../setup/mongo';

const MILES_PER_RADIAN = 3963.2;

describe('embedded mongo geospatial queries without an index', () => {
  const mongo = useDriverClient('geo');
  let db: Db;

  beforeAll(async () => {
    db = mongo.db;
    await db.collection('places').insertMany([
      { name: 'a', loc: [1, 1] },
      { name: 'b', loc: [5, 5] },
      { name: 'c', loc: [20, 20] },
      { name: 'd', loc: { lng: 2, lat: 3 } },
      { name: 'park', geo: { type: 'Point', coordinates: [-73.97, 40.77] } },
      { name: 'village', geo: { type: 'Point', coordinates: [-73.99, 40.73] } },
      { name: 'la', geo: { type: 'Point', coordinates: [-118.24, 34.05] } },
      {
        name: 'avenue',
        geo: {
          type: 'LineString',
          coordinates: [
            [-74.0, 40.7],
            [-73.9, 40.8],
          ],
        },
      },
      {
        name: 'square',
        geo: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 1],
              [0, 0],
            ],
          ],
        },
      },
    ]);
  });

  const names = async (filter: Document) =>
    (await db.collection('places').find(filter).toArray()).map((d) => d.name as string).sort();

  it('finds legacy coordinate pairs within $box, $polygon and $center', async () => {
    expect(
      await names({
        loc: {
          $geoWithin: {
            $box: [
              [0, 0],
              [10, 10],
            ],
          },
        },
      }),
    ).toEqual(['a', 'b', 'd']);
    expect(
      await names({
        loc: {
          $geoWithin: {
            $polygon: [
              [0, 0],
              [3, 0],
              [3, 4],
              [0, 4],
            ],
          },
        },
      }),
    ).toEqual(['a', 'd']);
    expect(await names({ loc: { $geoWithin: { $center: [[0, 0], 2] } } })).toEqual(['a']);
  });

  it('finds GeoJSON within $centerSphere and a $geometry polygon, on the sphere', async () => {
    expect(await names({ geo: { $geoWithin: { $centerSphere: [[-73.97, 40.77], 4 / MILES_PER_RADIAN] } } })).toEqual([
      'park',
      'village',
    ]);
    const manhattan = {
      type: 'Polygon',
      coordinates: [
        [
          [-74.05, 40.68],
          [-73.85, 40.68],
          [-73.85, 40.85],
          [-74.05, 40.85],
          [-74.05, 40.68],
        ],
      ],
    };
    expect(await names({ geo: { $geoWithin: { $geometry: manhattan } } })).toEqual(['avenue', 'park', 'village']);
  });

  it('finds geometries that intersect a line or a polygon', async () => {
    const meridian = {
      type: 'LineString',
      coordinates: [
        [-73.97, 40.6],
        [-73.97, 40.9],
      ],
    };
    expect(await names({ geo: { $geoIntersects: { $geometry: meridian } } })).toEqual(['avenue', 'park']);
    const overlap = {
      type: 'Polygon',
      coordinates: [
        [
          [0.5, 0.5],
          [2, 0.5],
          [2, 2],
          [0.5, 2],
          [0.5, 0.5],
        ],
      ],
    };
    expect(await names({ geo: { $geoIntersects: { $geometry: overlap } } })).toEqual(['square']);
  });

  it('refuses malformed shapes with BadValue', async () => {
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      ],
    };
    await expect(names({ geo: { $geoWithin: { $geometry: open } } })).rejects.toMatchObject({ code: 2 });
    await expect(names({ loc: { $geoWithin: { $box: [[0, 0]] } } })).rejects.toMatchObject({ code: 2 });
  });
});
