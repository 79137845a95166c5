<?xml version="1.0" encoding="utf-8"?>
<!-- The archive's Atom feeds as a page a person can read: a browser that opens a feed applies
     this stylesheet (the feed's <?xml-stylesheet?>); a feed reader ignores it. The labels follow
     the feed's xml:lang (English, or French for the feeds under /fr/). No inline script or style:
     the page keeps to the feed's Content-Security-Policy and takes its look from atom.css. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="fr" select="starts-with(/atom:feed/@xml:lang, 'fr')"/>
  <xsl:variable name="self" select="/atom:feed/atom:link[@rel='self']/@href"/>

  <xsl:template name="label">
    <xsl:param name="in-english"/>
    <xsl:param name="in-french"/>
    <xsl:choose>
      <xsl:when test="$fr"><xsl:value-of select="$in-french"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$in-english"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="/atom:feed">
    <html>
      <xsl:attribute name="lang"><xsl:choose><xsl:when test="$fr">fr</xsl:when><xsl:otherwise>en</xsl:otherwise></xsl:choose></xsl:attribute>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/></title>
        <link rel="stylesheet" href="/static/feeds/atom.css"/>
      </head>
      <body>
        <main>
          <p class="kind">
            <xsl:call-template name="label">
              <xsl:with-param name="in-english">Atom feed · Petition archive</xsl:with-param>
              <xsl:with-param name="in-french">Fil Atom · Archive des pétitions</xsl:with-param>
            </xsl:call-template>
          </p>
          <h1><xsl:value-of select="atom:title"/></h1>
          <p class="lede"><xsl:value-of select="atom:subtitle"/></p>
          <section class="about-feed" aria-labelledby="about-heading">
            <h2 id="about-heading">
              <xsl:call-template name="label">
                <xsl:with-param name="in-english">What is a feed?</xsl:with-param>
                <xsl:with-param name="in-french">Qu’est-ce qu’un fil ?</xsl:with-param>
              </xsl:call-template>
            </h2>
            <p>
              <xsl:call-template name="label">
                <xsl:with-param name="in-english">This page is a feed: a list that a feed reader checks for you and that tells you when something new appears. To subscribe, copy this page's address into your feed reader (Feedly, Inoreader, NetNewsWire, Thunderbird…):</xsl:with-param>
                <xsl:with-param name="in-french">Cette page est un fil : une liste que votre lecteur de fils consulte pour vous et qui vous signale toute nouveauté. Pour vous abonner, copiez l’adresse de cette page dans votre lecteur de fils (Feedly, Inoreader, NetNewsWire, Thunderbird…) :</xsl:with-param>
              </xsl:call-template>
            </p>
            <p><code class="feed-url"><xsl:value-of select="$self"/></code></p>
            <p>
              <a href="{atom:link[@rel='alternate']/@href}">
                <xsl:call-template name="label">
                  <xsl:with-param name="in-english">See these petitions on the archive's list page</xsl:with-param>
                  <xsl:with-param name="in-french">Voir ces pétitions dans la liste de l’archive</xsl:with-param>
                </xsl:call-template>
              </a>
            </p>
          </section>
          <h2>
            <xsl:call-template name="label">
              <xsl:with-param name="in-english">Entries</xsl:with-param>
              <xsl:with-param name="in-french">Entrées</xsl:with-param>
            </xsl:call-template>
            <xsl:text> (</xsl:text><xsl:value-of select="count(atom:entry)"/><xsl:text>)</xsl:text>
          </h2>
          <xsl:if test="not(atom:entry)">
            <p class="note">
              <xsl:call-template name="label">
                <xsl:with-param name="in-english">No entry yet.</xsl:with-param>
                <xsl:with-param name="in-french">Aucune entrée pour l’instant.</xsl:with-param>
              </xsl:call-template>
            </p>
          </xsl:if>
          <ol class="entries">
            <xsl:apply-templates select="atom:entry"/>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li class="entry">
      <h3><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></h3>
      <p class="dates">
        <xsl:if test="atom:published">
          <xsl:call-template name="label">
            <xsl:with-param name="in-english">First dated </xsl:with-param>
            <xsl:with-param name="in-french">Première date : </xsl:with-param>
          </xsl:call-template>
          <time datetime="{atom:published}"><xsl:value-of select="substring(atom:published, 1, 10)"/></time>
          <xsl:text> · </xsl:text>
        </xsl:if>
        <xsl:call-template name="label">
          <xsl:with-param name="in-english">latest event </xsl:with-param>
          <xsl:with-param name="in-french">dernier événement : </xsl:with-param>
        </xsl:call-template>
        <time datetime="{atom:updated}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time>
      </p>
      <!-- The summary is HTML the archive escaped itself (publish/feeds.py, format_html). -->
      <div class="summary"><xsl:value-of select="atom:summary" disable-output-escaping="yes"/></div>
    </li>
  </xsl:template>
</xsl:stylesheet>
