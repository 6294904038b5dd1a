<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an RSS 2.0 or Atom feed opened in a browser as a page: what a feed is, how to
     subscribe, and the posts in it. Feed readers ignore it. No script, nothing remote:
     item text is copied as text, never as markup. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="no"
      doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <xsl:variable name="self" select="(rss/channel/atom:link[@rel='self'] | atom:feed/atom:link[@rel='self'])/@href"/>
    <xsl:variable name="site" select="rss/channel/link | atom:feed/atom:link[@rel='alternate']/@href"/>
    <html lang="{rss/channel/language | atom:feed/@xml:lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="color-scheme" content="light dark"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <style>
          body { font: 1.05rem/1.55 system-ui, sans-serif; max-width: 40rem; margin: 0 auto; padding: 1rem; }
          .about { border: 1px solid; border-radius: .4rem; padding: .25rem 1rem; }
          code { overflow-wrap: anywhere; }
          li { margin: .6rem 0; }
          time { display: block; font-size: .9em; opacity: .8; }
        </style>
      </head>
      <body>
        <main>
          <section class="about" aria-labelledby="about-heading">
            <h1 id="about-heading">This is a web feed</h1>
            <p>Subscribe by copying this address into your feed reader:</p>
            <p><code><xsl:value-of select="$self"/></code></p>
            <p>A feed reader brings you every new post from
              <a href="{$site}"><xsl:value-of select="$title"/></a>, without visiting the site.</p>
          </section>
          <h2>Recent posts</h2>
          <ul>
            <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
          </ul>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li><a href="{link}"><xsl:value-of select="title"/></a>
      <time><xsl:value-of select="pubDate"/></time></li>
  </xsl:template>

  <!-- feedgen writes an entry's own link without rel, which Atom reads as "alternate". -->
  <xsl:template match="atom:entry">
    <li><a href="{atom:link[not(@rel) or @rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
      <time datetime="{atom:published}"><xsl:value-of select="substring(atom:published, 1, 10)"/></time></li>
  </xsl:template>
</xsl:stylesheet>
