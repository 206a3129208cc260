import type { ReactNode } from 'react';
import type { CoverageComune, CoverageProvince } from '../api/coverage.js';
import { type Translate, useI18n } from '../i18n/index.js';
import { COVERAGE_LEVELS, type CoverageLevel, coverageLevel, countLevels, DEFAULT_TILE_MAP, layoutTileMap } from '../lib/coverage.js';

/**
 * Fill of each level. Not colour alone: «nobody» is hatched with a red border, «only a wider office»
 * carries a dot, «the comune's own office» is solid; the legend shows the same swatches.
 */
const FILL: Record<CoverageLevel, string> = { comune: '#00704a', wider: '#a8dcc6', none: 'url(#coverage-none)' };
const STROKE: Record<CoverageLevel, string> = { comune: '#00502f', wider: '#2f7d5f', none: '#b3172d' };

/** Who answers for a comune, in one line: office (body, via what) or «nobody». */
export function whoAnswers(comune: CoverageComune, t: Translate): string {
  if (comune.offices.length === 0) return t('coverage.nobody');
  return comune.offices.map((o) => `${o.name} – ${o.organisationName} (${t(`coverage.via.${o.via}`)})`).join('; ');
}

function Patterns() {
  return (
    <defs>
      <pattern id="coverage-none" patternUnits="userSpaceOnUse" width="4" height="4" patternTransform="rotate(45)">
        <rect width="4" height="4" fill="#ffffff" />
        <line x1="0" y1="0" x2="0" y2="4" stroke="#b3172d" strokeWidth="2" />
      </pattern>
    </defs>
  );
}

/** One comune's square (legend swatches too): the level's fill, and the dot of «only a wider office». */
function Tile({ level, x, y, size, children }: { level: CoverageLevel; x: number; y: number; size: number; children?: ReactNode }) {
  return (
    <g data-level={level}>
      <rect x={x + 0.5} y={y + 0.5} width={size - 1} height={size - 1} fill={FILL[level]} stroke={STROKE[level]} strokeWidth={1} />
      {level === 'wider' && <circle cx={x + size / 2} cy={y + size / 2} r={size / 6} fill="#00402a" />}
      {children}
    </g>
  );
}

export function CoverageLegend() {
  const { t } = useI18n();
  return (
    <div className="coverage-legend mb-2">
      <p className="fw-semibold mb-1" id="coverage-legend-title">
        {t('coverage.legend')}
      </p>
      <ul className="list-unstyled d-flex flex-wrap gap-3 mb-0" aria-labelledby="coverage-legend-title">
        {COVERAGE_LEVELS.map((level) => (
          <li key={level} className="d-flex align-items-center gap-1">
            <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false">
              {level === 'none' && <Patterns />}
              <Tile level={level} x={0} y={0} size={18} />
            </svg>
            <span>{t(`coverage.level.${level}`)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The schematic map of a region for one topic: a square per comune, in its province's block
 * (labelled by sigla), coloured by coverage; each square's <title> names the comune and who answers.
 * The SVG is one image to assistive technology, named by a summary; the table is the accessible alternative.
 */
export function CoverageMap({ provinces, comuni, topicLabel, regionName }: { provinces: CoverageProvince[]; comuni: CoverageComune[]; topicLabel: string; regionName: string }) {
  const { t, locale } = useI18n();
  const map = layoutTileMap(provinces, comuni, DEFAULT_TILE_MAP, locale);
  const counts = countLevels(comuni);
  const size = DEFAULT_TILE_MAP.tile;
  const pad = 4;
  return (
    <figure className="coverage-map mb-3" data-testid="coverage-map">
      <CoverageLegend />
      <svg
        role="img"
        aria-label={t('coverage.map.label', { topic: topicLabel, region: regionName, comune: counts.comune, wider: counts.wider, none: counts.none })}
        viewBox={`${-pad} ${-pad} ${map.width + 2 * pad} ${map.height + 2 * pad}`}
        width="100%"
        style={{ maxWidth: `${map.width + 2 * pad}px`, height: 'auto' }}
        preserveAspectRatio="xMinYMin meet"
      >
        <Patterns />
        {map.blocks.map((block) => (
          <g key={block.code || '?'} data-province={block.sigla}>
            <text x={block.x} y={block.y + 13} fontSize="13" fontWeight="600" fill="#1a1a1a">
              {block.sigla}
            </text>
            {block.tiles.map(({ comune, x, y }) => {
              const level = coverageLevel(comune);
              return (
                <Tile key={comune.code} level={level} x={x} y={y} size={size}>
                  <title>{t('coverage.tile', { comune: comune.name, province: block.sigla, who: whoAnswers(comune, t) })}</title>
                </Tile>
              );
            })}
          </g>
        ))}
      </svg>
      <figcaption className="small mt-1">{t('coverage.map.smallPrint')}</figcaption>
    </figure>
  );
}
